using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Alerts.Evaluation;
using Tracefleet.Server.Alerts.Rules;
using Tracefleet.Server.History;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Alerts;

/// <summary>
/// Alert evaluation as data arrives: every snapshot the writer commits is evaluated on the writer's loop, on the
/// snapshot's own time and in each host's time order (<see cref="TimeOrder"/>: at once when it continues the last one,
/// as live snapshots do; a resent backlog is put in order first), and host silence and no data every second
/// (<see cref="Sweep"/>). Notices go to the receivers' bounded queue; transitions and kept states to
/// <see cref="AlertRecorder"/> through a bounded queue that counts what it drops. Every call takes one lock: the
/// evaluator's work per snapshot is small and bounded, and the API reads under the same lock.
/// </summary>
public sealed class LiveAlerts : ICommittedSnapshotSink, IAlertOutput
{
    private readonly Lock _gate = new();
    private readonly AlertEvaluator _evaluator;
    private readonly IAlertNotifier _notifier;
    private readonly ClockOffsets _clocks;
    private readonly TimeProvider _time;
    private readonly long _lateAfterMs;
    private readonly Channel<object> _records;
    private readonly TimeOrder _order;
    private long _droppedRecords;

    public LiveAlerts(IOptions<AlertOptions> options, IAlertNotifier notifier, Silences silences, ClockOffsets clocks, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _notifier = notifier;
        _clocks = clocks;
        _time = time;
        _lateAfterMs = settings.LateAfterSeconds * 1000L;
        _evaluator = new AlertEvaluator(this, settings.MaxSeries, (rule, host, key) => silences.Matches(rule.Name, host, key))
        {
            HostSilentAfterMs = settings.HostSilentAfterSeconds * 1000L,
            NoDataAfterMs = settings.NoDataAfterSeconds * 1000L,
        };
        _order = new TimeOrder(held => _evaluator.Evaluate(
            held.Host, held.Probe, held.StartUnixMs, held.DurationMs, held.Keys, held.Values, held.Late, _time.GetUtcNow().ToUnixTimeMilliseconds()));
        _records = Channel.CreateBounded<object>(
            new BoundedChannelOptions(settings.RecordQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite },
            _ => Interlocked.Increment(ref _droppedRecords));
    }

    /// <summary>Transitions (<see cref="AlertTransition"/>) and kept states (<see cref="AlertSeriesState"/>) to store, in order.</summary>
    internal ChannelReader<object> Records => _records.Reader;

    /// <summary>Transitions and state changes not stored because the recorder fell behind, since start.</summary>
    public long DroppedRecords => Interlocked.Read(ref _droppedRecords);

    /// <summary>Series tracked now, and keys not evaluated because <see cref="AlertOptions.MaxSeries"/> was reached (since start).</summary>
    public (int Tracked, long Untracked) Series
    {
        get
        {
            lock (_gate)
            {
                return (_evaluator.Series, _evaluator.Untracked);
            }
        }
    }

    public void Committed(PendingSnapshot snapshot, DateTime committedAt)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.HostName.Length == 0)
        {
            return;
        }

        var s = snapshot.Snapshot;
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // Lag by the server's clock: the agent's clock offset (positive: ahead) is taken out first.
        var offsetMs = _clocks.Of(snapshot.HostName) is var (seconds, _) ? (long)(seconds * 1000) : 0;
        var late = now - (s.StartUnixMs + s.DurationMs - offsetMs) > _lateAfterMs;
        lock (_gate)
        {
            _order.Add(new Held(snapshot.HostName, s.Probe, s.StartUnixMs, s.DurationMs, s.Keys, s.Values, late), now);
        }
    }

    /// <summary>Evaluates the snapshots that have waited long enough for earlier ones (see <see cref="TimeOrder"/>).</summary>
    public void Release()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            _order.Tick(now);
        }
    }

    /// <summary>Snapshots waiting for earlier ones now, and those that arrived after later ones were evaluated (not evaluated), since start.</summary>
    public (int Held, long Stragglers) Ordering
    {
        get
        {
            lock (_gate)
            {
                return (_order.Held, _order.Stragglers);
            }
        }
    }

    /// <summary>Applies host silence and <c>no_data</c> at the server's time.</summary>
    public void Sweep()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            _evaluator.Sweep(now);
        }
    }

    /// <summary>The rules evaluated now.</summary>
    public IReadOnlyList<CompiledRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return [.. _evaluator.Rules];
            }
        }
    }

    /// <summary>Replaces the rules (see <see cref="AlertEvaluator.SetRules"/>).</summary>
    public void SetRules(IReadOnlyCollection<CompiledRule> rules)
    {
        lock (_gate)
        {
            _evaluator.SetRules(rules, _time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    /// <summary>Puts back the alerts kept before a restart; returns how many were restored.</summary>
    public int Restore(IEnumerable<AlertSeriesState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            return states.Count(state => _evaluator.Restore(state, now));
        }
    }

    /// <summary>Every alert pending or firing now.</summary>
    public IReadOnlyList<ActiveAlert> Active()
    {
        lock (_gate)
        {
            return [.. _evaluator.Active()];
        }
    }

    void IAlertOutput.Transitioned(AlertTransition transition) => _records.Writer.TryWrite(transition);

    void IAlertOutput.Notify(AlertNotice notice) => _notifier.Notify(notice);

    void IAlertOutput.Persist(AlertSeriesState state) => _records.Writer.TryWrite(state);
}
