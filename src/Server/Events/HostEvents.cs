using System.Threading.Channels;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Events;

/// <summary>
/// Host events as ingest sees them, queued for <see cref="HostEventRecorder"/> so that ingest never waits on the store.
/// Bounded twice. Per host and subject (its connection, or one of its probes) at most <see cref="MaxPerSubjectPerSecond"/>
/// events a second are queued at once; of the further ones only the latest is kept, and queued once its second has
/// passed (<see cref="QueueDue"/>): a flapping agent writes a few rows a second, and the last state stored is still its
/// last state. The others are counted in <see cref="Coalesced"/>. And a queue of <see cref="QueueCapacity"/> (past it,
/// counted in <see cref="Dropped"/>). Thread-safe.
/// </summary>
public sealed class HostEvents
{
    public const int MaxPerSubjectPerSecond = 2;

    public const int QueueCapacity = 10_000;

    /// <summary>Subjects (host and probe) whose second is tracked, at most, before the ones of past seconds are forgotten.</summary>
    private const int MaxTrackedSubjects = 10_000;

    private readonly Channel<HostEventRecord> _queue;
    private readonly Dictionary<(string Host, string Probe), Second> _seconds = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private long _dropped;
    private long _coalesced;

    public HostEvents(TimeProvider time)
    {
        _time = time;
        _queue = Channel.CreateBounded<HostEventRecord>(
            new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite },
            _ => Interlocked.Increment(ref _dropped));
    }

    internal ChannelReader<HostEventRecord> Queue => _queue.Reader;

    /// <summary>Events not stored because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events not stored because a later one of the same host and subject came in the same second, past the allowance.</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    /// <summary>Queues one event of <paramref name="host"/> (<paramref name="kind"/> one of <see cref="HostEventKinds"/>), timed now.</summary>
    public void Record(string host, string kind, string probe = "", string detail = "")
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var record = new HostEventRecord
        {
            Host = host,
            Kind = kind,
            Probe = probe,
            Detail = detail.Length > HostEventKinds.MaxDetailLength ? detail[..HostEventKinds.MaxDetailLength] : detail,
            AtUnixMs = now,
        };
        lock (_lock)
        {
            var second = now / 1000;
            var key = (host, probe);
            if (!_seconds.TryGetValue(key, out var seen) || seen.At != second)
            {
                if (seen?.Held is { } due)
                {
                    _queue.Writer.TryWrite(due);
                    seen.Held = null;
                }

                Forget(second);
                _seconds[key] = seen = new Second(second);
            }

            if (seen.Queued < MaxPerSubjectPerSecond)
            {
                seen.Queued++;
                _queue.Writer.TryWrite(record);
            }
            else
            {
                if (seen.Held is not null)
                {
                    Interlocked.Increment(ref _coalesced);
                }

                seen.Held = record;
            }
        }
    }

    /// <summary>Queues the latest held event of each subject whose second has passed; the recorder calls it every second.</summary>
    public void QueueDue()
    {
        var second = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000;
        lock (_lock)
        {
            foreach (var seen in _seconds.Values)
            {
                if (seen.At < second && seen.Held is { } due)
                {
                    _queue.Writer.TryWrite(due);
                    seen.Held = null;
                }
            }
        }
    }

    /// <summary>At the bound, forgets the subjects of past seconds (their held events queued first).</summary>
    private void Forget(long second)
    {
        if (_seconds.Count < MaxTrackedSubjects)
        {
            return;
        }

        foreach (var (key, seen) in _seconds.Where(kv => kv.Value.At != second).ToList())
        {
            if (seen.Held is { } due)
            {
                _queue.Writer.TryWrite(due);
            }

            _seconds.Remove(key);
        }
    }

    /// <summary>One subject's current second: events queued in it, and the latest one held past the allowance.</summary>
    private sealed class Second(long at)
    {
        public long At { get; } = at;

        public int Queued { get; set; }

        public HostEventRecord? Held { get; set; }
    }
}
