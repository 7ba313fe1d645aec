using Tracefleet.Agent.Costs;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Probes;

/// <summary>
/// The latest health of each probe, as it travels to the server: the uplink sends the whole board on
/// every (re)connect and again whenever it changes. Lines per second are averaged between updates.
/// </summary>
public sealed class ProbeStatusBoard(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ProbeStatus> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Lines, DateTimeOffset At)> _lastCount = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ulong Count, string Last)> _rejections = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Grows with every change; the uplink compares it with the version it last sent.</summary>
    public long Version { get; private set; }

    public void Update(ProbeHealth health, string variant, long linesSoFar)
    {
        lock (_gate)
        {
            Put(health, variant, linesSoFar);
            Changed();
        }
    }

    /// <summary>
    /// Every probe's status at once, as one change: each window's fresh costs go out as one status per probe, not
    /// the whole board once per probe.
    /// </summary>
    public void UpdateAll(IEnumerable<(ProbeHealth Health, string Variant, long LinesSoFar)> probes)
    {
        lock (_gate)
        {
            foreach (var (health, variant, linesSoFar) in probes)
            {
                Put(health, variant, linesSoFar);
            }

            Changed();
        }
    }

    /// <summary>
    /// A probe asked for that will not run, known or not (no descriptor names it, its descriptor was refused, its files
    /// may not run): reported failed with <paramref name="reason"/>, so the server shows why.
    /// </summary>
    public void NotRunning(string probe, string reason)
    {
        lock (_gate)
        {
            _latest[probe] = new ProbeStatus
            {
                Probe = probe,
                State = ProbeState.Failed.WireName(),
                LastError = reason,
                AtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
                Variant = ProbeVariants.NotRunning,
            };
            Changed();
        }
    }

    /// <summary>Under <c>_gate</c>.</summary>
    private void Put(ProbeHealth health, string variant, long linesSoFar)
    {
        var name = health.Probe.Name;
        var now = time.GetUtcNow();
        var perSecond = 0.0;
        if (_lastCount.TryGetValue(name, out var last) && now > last.At)
        {
            perSecond = Math.Max(0, linesSoFar - last.Lines) / (now - last.At).TotalSeconds;
        }

        _lastCount[name] = (linesSoFar, now);
        var rejections = _rejections.GetValueOrDefault(name, (Count: 0UL, Last: ""));
        _latest[name] = new ProbeStatus
        {
            RejectedSnapshots = rejections.Count,
            LastRejection = rejections.Last,
            Probe = name,
            State = health.State.WireName(),
            LastError = health.LastError,
            Restarts = (uint)health.Restarts,
            MalformedLines = (ulong)health.MalformedLines,
            AtUnixMs = now.ToUnixTimeMilliseconds(),
            LinesPerSecond = Math.Round(perSecond, 1),
            Variant = variant,
            Cost = health.Cost is { } cost ? ToWire(cost) : null,
            RetryAtUnixMs = health.RetryAt?.ToUnixTimeMilliseconds() ?? 0,
        };
    }

    private static ProbeCost ToWire(MeasuredCost cost) => new()
    {
        WindowMs = (uint)Math.Clamp(cost.Window.TotalMilliseconds, 0, uint.MaxValue),
        TracerCpuPercent = Math.Round(cost.TracerCpuPercent, 3),
        TracerRssBytes = (ulong)Math.Max(0, cost.TracerRssBytes),
        KernelTimeKnown = cost.KernelTimeKnown,
        KernelCpuPercent = Math.Round(cost.KernelCpuPercent, 3),
        KernelRunsPerSecond = Math.Round(cost.KernelRunsPerSecond, 1),
        EventsPerSecond = Math.Round(cost.EventsPerSecond, 1),
        OutputBytesPerSecond = Math.Round(cost.OutputBytesPerSecond, 1),
        BudgetCpuPercent = cost.BudgetCpuPercent,
    };

    /// <summary>The server refused a snapshot of <paramref name="probe"/>: counted in its status, with the reason.</summary>
    public void Rejected(string probe, string reason)
    {
        lock (_gate)
        {
            var (count, _) = _rejections.GetValueOrDefault(probe, (0UL, ""));
            _rejections[probe] = (count + 1, reason);
            if (_latest.TryGetValue(probe, out var status))
            {
                status = status.Clone();
                status.RejectedSnapshots = count + 1;
                status.LastRejection = reason;
                status.AtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds();
                _latest[probe] = status;
                Changed();
            }
        }
    }

    /// <summary>Under <c>_gate</c>.</summary>
    private void Changed()
    {
        Version++;
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    public (long Version, IReadOnlyList<ProbeStatus> Statuses) Read()
    {
        lock (_gate)
        {
            return (Version, _latest.Values.ToList());
        }
    }

    public Task NextChange()
    {
        lock (_gate)
        {
            return _changed.Task;
        }
    }
}
