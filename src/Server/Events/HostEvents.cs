using System.Threading.Channels;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Events;

/// <summary>
/// Host events as ingest sees them, queued for <see cref="HostEventRecorder"/> so that ingest never waits on the store.
/// Bounded twice: at most <see cref="MaxPerHostPerSecond"/> events per host per second (a flapping agent's further events
/// are counted in <see cref="Coalesced"/>, not stored), and a queue of <see cref="QueueCapacity"/> (past it, counted in
/// <see cref="Dropped"/>). Thread-safe.
/// </summary>
public sealed class HostEvents
{
    public const int MaxPerHostPerSecond = 4;

    public const int QueueCapacity = 10_000;

    /// <summary>Hosts whose second is tracked, at most, before the ones of past seconds are forgotten.</summary>
    private const int MaxTrackedHosts = 10_000;

    private readonly Channel<HostEventRecord> _queue;
    private readonly Dictionary<string, (long Second, int Count)> _perSecond = new(StringComparer.Ordinal);
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

    /// <summary>Events not stored because their host had <see cref="MaxPerHostPerSecond"/> in the same second.</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    /// <summary>Queues one event of <paramref name="host"/> (<paramref name="kind"/> one of <see cref="HostEventKinds.All"/>), timed now.</summary>
    public void Record(string host, string kind, string probe = "", string detail = "")
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!Admit(host, now / 1000))
        {
            Interlocked.Increment(ref _coalesced);
            return;
        }

        _queue.Writer.TryWrite(new HostEventRecord
        {
            Host = host,
            Kind = kind,
            Probe = probe,
            Detail = detail.Length > HostEventKinds.MaxDetailLength ? detail[..HostEventKinds.MaxDetailLength] : detail,
            AtUnixMs = now,
        });
    }

    private bool Admit(string host, long second)
    {
        lock (_lock)
        {
            if (_perSecond.Count >= MaxTrackedHosts && !_perSecond.ContainsKey(host))
            {
                foreach (var stale in _perSecond.Where(kv => kv.Value.Second != second).Select(kv => kv.Key).ToList())
                {
                    _perSecond.Remove(stale);
                }
            }

            var count = _perSecond.TryGetValue(host, out var seen) && seen.Second == second ? seen.Count : 0;
            if (count >= MaxPerHostPerSecond)
            {
                return false;
            }

            _perSecond[host] = (second, count + 1);
            return true;
        }
    }
}
