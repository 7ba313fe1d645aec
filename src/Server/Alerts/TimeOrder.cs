
namespace Tracefleet.Server.Alerts;

/// <summary>
/// Puts each host's snapshots of a probe back in time order before they are evaluated. An agent back from an outage
/// sends its newest snapshot first and its backlog around it, so arrival order is not time order; the evaluator needs
/// time order. A snapshot that continues the last one evaluated (its start within <see cref="ContiguousMs"/> of that
/// one's end: the usual live case) is released at once; any other waits in a per-(host, probe) queue, ordered by start,
/// until it continues one, or until it has waited <see cref="HoldMs"/> (a gap that will not fill), or the queue holds
/// <see cref="MaxHeld"/>. A snapshot older than the last one released is out of order for good and is counted.
/// Not thread-safe: <see cref="LiveAlerts"/> calls it under its lock.
/// </summary>
internal sealed class TimeOrder(Action<Held> release)
{
    /// <summary>How far a start may be from the previous end and still continue it (agents stamp whole seconds; live tracers drift a little).</summary>
    public const long ContiguousMs = 250;

    /// <summary>How long a snapshot that continues nothing waits for the ones before it.</summary>
    public const long HoldMs = 1_500;

    /// <summary>Snapshots one (host, probe) may hold; past it the oldest is released.</summary>
    public const int MaxHeld = 600;

    private readonly Dictionary<(string Host, string Probe), Stream> _streams = [];

    /// <summary>Snapshots that arrived older than one already released, since start.</summary>
    public long Stragglers { get; private set; }

    /// <summary>Snapshots waiting now.</summary>
    public int Held { get; private set; }

    public void Add(Held snapshot, long nowUnixMs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_streams.TryGetValue((snapshot.Host, snapshot.Probe), out var stream))
        {
            _streams[(snapshot.Host, snapshot.Probe)] = stream = new Stream();
        }

        if (stream.ReleasedEnd is { } end && snapshot.StartUnixMs < end - ContiguousMs)
        {
            Stragglers++;
            return;
        }

        stream.Queue.Enqueue(snapshot with { ArrivedUnixMs = nowUnixMs }, snapshot.StartUnixMs);
        Held++;
        Drain(stream, nowUnixMs);
    }

    /// <summary>Releases what has waited long enough; called a few times a second.</summary>
    public void Tick(long nowUnixMs)
    {
        foreach (var stream in _streams.Values)
        {
            if (stream.Queue.Count > 0)
            {
                Drain(stream, nowUnixMs);
            }
        }
    }

    private void Drain(Stream stream, long nowUnixMs)
    {
        while (stream.Queue.TryPeek(out var next, out var start))
        {
            var continues = stream.ReleasedEnd is { } end && Math.Abs(start - end) <= ContiguousMs;
            var waited = nowUnixMs - next.ArrivedUnixMs >= HoldMs;
            if (!continues && !waited && stream.Queue.Count <= MaxHeld)
            {
                return;
            }

            stream.Queue.Dequeue();
            Held--;
            stream.ReleasedEnd = Math.Max(stream.ReleasedEnd ?? long.MinValue, next.StartUnixMs + next.DurationMs);
            release(next);
        }
    }

    private sealed class Stream
    {
        public PriorityQueue<Held, long> Queue { get; } = new();

        public long? ReleasedEnd { get; set; }
    }
}

/// <summary>A snapshot waiting for its turn: what the evaluator needs of it, whether it arrived late (a backlog), and when it arrived.</summary>
internal sealed record Held(string Host, string Probe, long StartUnixMs, long DurationMs, IReadOnlyList<string> Keys, IReadOnlyList<ulong> Values, bool Late)
{
    public long ArrivedUnixMs { get; init; }
}
