using Microsoft.Extensions.Options;
using Tracefleet.Server.History;

namespace Tracefleet.Server.Metrics;

/// <summary>
/// Per host and probe: totals per key since the server started, and per-second sums over the window that
/// picks which keys <c>/metrics</c> shows. Fed from the writer's commits, so only stored data is counted.
/// </summary>
public sealed class KeyTally(IOptions<MetricsOptions> options, TimeProvider time) : ICommittedSnapshotSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Host, string Probe), ProbeTally> _tallies = [];
    private long _snapshots;
    private long _rows;

    /// <summary>Snapshots and rows stored since the server started: their rate is the ingest rate.</summary>
    public (long Snapshots, long Rows) Stored => (Interlocked.Read(ref _snapshots), Interlocked.Read(ref _rows));

    public void Committed(PendingSnapshot snapshot, DateTime committedAt)
    {
        Interlocked.Increment(ref _snapshots);
        Interlocked.Add(ref _rows, snapshot.Snapshot.Rows.Count);
        if (snapshot.HostName.Length == 0)
        {
            return;
        }

        var second = new DateTimeOffset(committedAt, TimeSpan.Zero).ToUnixTimeSeconds();
        lock (_gate)
        {
            var id = (snapshot.HostName, snapshot.Snapshot.Probe);
            if (!_tallies.TryGetValue(id, out var tally))
            {
                _tallies[id] = tally = new ProbeTally(options.Value.WindowSeconds);
            }

            tally.Add(second, snapshot.Snapshot.Rows);
        }
    }

    /// <summary>For each host and probe, the busiest keys of the window with their totals since start.</summary>
    public IReadOnlyList<TopKey> Top()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var top = new List<TopKey>();
        lock (_gate)
        {
            foreach (var ((host, probe), tally) in _tallies)
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
