using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History;

namespace Tracefleet.Server.Metrics;

/// <summary>
/// Per host and probe: totals per key since the server started, and per-second sums over the window that
/// picks which keys <c>/metrics</c> shows. Fed from the writer's commits, so only stored data is counted.
/// </summary>
public sealed class KeyTally(IOptions<MetricsOptions> options, TimeProvider time) : ICommittedSnapshotSink
{
    // One lock per host and probe, not one for all: the writer (which every ack waits on) feeds this, and a
    // /metrics scrape ranking every host's keys must not hold it up for more than one tally at a time.
    private readonly ConcurrentDictionary<(string Host, string Probe), ProbeTally> _tallies = new();
    private long _snapshots;
    private long _rows;

    /// <summary>Snapshots and rows stored since the server started: their rate is the ingest rate.</summary>
    public (long Snapshots, long Rows) Stored => (Interlocked.Read(ref _snapshots), Interlocked.Read(ref _rows));

    public void Committed(PendingSnapshot snapshot, DateTime committedAt)
    {
        Interlocked.Increment(ref _snapshots);
        Interlocked.Add(ref _rows, snapshot.Snapshot.Keys.Count);
        if (snapshot.HostName.Length == 0)
        {
            return;
        }

        var second = new DateTimeOffset(committedAt, TimeSpan.Zero).ToUnixTimeSeconds();
        var tally = _tallies.GetOrAdd((snapshot.HostName, snapshot.Snapshot.Probe), _ => new ProbeTally(options.Value.WindowSeconds));
        lock (tally)
        {
            tally.Add(second, snapshot.Snapshot.Keys, snapshot.Snapshot.Values);
        }
    }

    /// <summary>For each host and probe, the busiest keys of the window with their totals since start.</summary>
    public IReadOnlyList<TopKey> Top()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var top = new List<TopKey>();
        foreach (var ((host, probe), tally) in _tallies)
        {
            lock (tally)
            {
                foreach (var (key, totals) in tally.Top(now, options.Value.TopKeys))
                {
                    top.Add(new TopKey(host, probe, key, totals));
                }
            }
        }

        return top;
    }
}

/// <summary>One exported key: its counts since the server started, in the probe's column order.</summary>
public sealed record TopKey(string Host, string Probe, string Key, ulong[] Totals);
