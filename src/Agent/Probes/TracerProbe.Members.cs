namespace Tracefleet.Agent.Probes;

/// <summary>
/// The probes of a shared tracer, each reported on its own: its lines, stdout bytes and events are counted by the
/// header of the table they belong to; its state, restarts and last error are the process's. Its cost is the whole
/// process's CPU, RSS and in-kernel time, not a share of it: a process's CPU and memory cannot be attributed to the
/// programs it runs (most of bpftrace's memory is its one compiler and runtime, which is why sharing saves), and
/// fdinfo gives a BPF program's id and counters but not which probe it was compiled from. Its variant
/// (<see cref="BpftraceSharing.VariantSuffix"/>) tells the reader that the figures are the shared process's; only
/// the events and stdout bytes per second are the probe's own.
/// </summary>
public sealed partial class TracerProbe
{
    private readonly Lock _memberGate = new();
    private readonly Dictionary<string, MemberCounts> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double EventsPerSecond, double OutputBytesPerSecond)> _memberRates = new(StringComparer.Ordinal);
    private Dictionary<string, MemberCounts>? _membersAtLastSample;

    /// <summary>
    /// Each probe's status as the board takes it: a lone tracer's is its own health, variant and lines; a shared
    /// tracer's is one per member, as described on this file's part of the class.
    /// </summary>
    public IEnumerable<(ProbeHealth Health, string Variant, long LinesSoFar)> Statuses()
    {
        var health = Health;
        if (plan.Members.Count == 0)
        {
            return [(health, plan.Variant, Lines)];
        }

        lock (_memberGate)
        {
            return [.. plan.Members.Select(member =>
            {
                var counts = _members.GetValueOrDefault(member.Probe.Name);
                var cost = health.Cost is { } shared && _memberRates.TryGetValue(member.Probe.Name, out var rates)
                    ? shared with { EventsPerSecond = rates.EventsPerSecond, OutputBytesPerSecond = rates.OutputBytesPerSecond }
                    : health.Cost;
                return (health with { Probe = member.Probe, Cost = cost }, member.Variant, counts.Lines);
            })];
        }
    }

    /// <summary>Appended to a shared tracer's suspension: whose budget it was held to, and that all of them stop.</summary>
    private string SharedNote => plan.Members.Count == 0
        ? ""
        : $" (one bpftrace runs {string.Join(", ", plan.Members.Select(m => m.Probe.Name))}: held to their budgets together, and all are suspended)";

    private void CountMemberOutput(ProbeDefinition? probe, Processes.OutputLine line)
    {
        if (plan.Members.Count == 0 || probe is null)
        {
            return;
        }

        lock (_memberGate)
        {
            var counts = _members.GetValueOrDefault(probe.Name);
            _members[probe.Name] = counts with { Lines = counts.Lines + 1, OutputBytes = counts.OutputBytes + line.Text.Length + (line.Terminated ? 1 : 0) };
        }
    }

    private void CountMemberEvents(ProbeDefinition probe, long events)
    {
        if (plan.Members.Count == 0)
        {
            return;
        }

        lock (_memberGate)
        {
            var counts = _members.GetValueOrDefault(probe.Name);
            _members[probe.Name] = counts with { Events = counts.Events + events };
        }
    }

    /// <summary>Each member's events and bytes per second over the window just measured; none before a first sample.</summary>
    private void MeasureMembers(TimeSpan? window)
    {
        if (plan.Members.Count == 0)
        {
            return;
        }

        lock (_memberGate)
        {
            var before = _membersAtLastSample;
            _membersAtLastSample = new Dictionary<string, MemberCounts>(_members, StringComparer.Ordinal);
            if (before is null || window is not { TotalSeconds: > 0 } measured)
            {
                return;
            }

            foreach (var (name, now) in _members)
            {
                var then = before.GetValueOrDefault(name);
                _memberRates[name] = (
                    Math.Max(0, now.Events - then.Events) / measured.TotalSeconds,
                    Math.Max(0, now.OutputBytes - then.OutputBytes) / measured.TotalSeconds);
            }
        }
    }

    private readonly record struct MemberCounts(long Lines, long OutputBytes, long Events);
}
