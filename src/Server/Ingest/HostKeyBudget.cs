using System.Collections.Concurrent;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Distinct keys per host and probe since the server started. Past the budget a new key is summed
/// into "(other)", so a host that invents a key every second (a temp-file storm) cannot grow the key
/// table without bound. Keys are remembered by hash: a rare collision only admits one extra key.
/// </summary>
public sealed class HostKeyBudget
{
    private readonly ConcurrentDictionary<(string Host, string Probe), HashSet<int>> _seen = new();

    /// <summary>Folds the keys that are new past <paramref name="maxKeys"/>; returns how many were folded.</summary>
    public int Apply(string host, Snapshot snapshot, int maxKeys)
    {
        var seen = _seen.GetOrAdd((host, snapshot.Probe), _ => []);
        List<Row>? over = null;
        lock (seen)
        {
            foreach (var row in snapshot.Rows)
            {
                var hash = row.Key.GetHashCode(StringComparison.Ordinal);
                if (row.Key != KeyBudget.Other && !seen.Contains(hash) && (seen.Count >= maxKeys || !seen.Add(hash)))
                {
                    (over ??= []).Add(row);
                }
            }
        }

        if (over is null)
        {
            return 0;
        }

        KeyBudget.FoldIntoOther(snapshot, over);
        return over.Count;
    }
}
