using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Makes a snapshot's keys obey <see cref="KeyRule"/> before it is stored: an agent of this version never sends a key
/// that needs it, an older or foreign one may (a control character, a NUL, a key longer than <c>Limits:MaxKeyLength</c>).
/// Repaired keys that become equal, and keys sent twice, are summed into one row (saturating), so nothing is lost.
/// </summary>
public static class KeyRepair
{
    /// <summary>Repairs in place; returns how many rows changed (a key rewritten or a row merged into another).</summary>
    public static int Apply(Snapshot snapshot, int maxKeyLength)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var changed = 0;
        var seen = new HashSet<string>(snapshot.Rows.Count, StringComparer.Ordinal);
        var duplicates = false;
        foreach (var row in snapshot.Rows)
        {
            if (!KeyRule.IsValid(row.Key, maxKeyLength))
            {
                row.Key = KeyRule.Normalize(row.Key, maxKeyLength);
                changed++;
            }

            duplicates |= !seen.Add(row.Key);
        }

        return duplicates ? changed + Merge(snapshot) : changed;
    }

    private static int Merge(Snapshot snapshot)
    {
        var first = new Dictionary<string, Row>(snapshot.Rows.Count, StringComparer.Ordinal);
        var kept = new List<Row>(snapshot.Rows.Count);
        foreach (var row in snapshot.Rows)
        {
            if (!first.TryGetValue(row.Key, out var into))
            {
                first[row.Key] = row;
                kept.Add(row);
                continue;
            }

            for (var i = 0; i < into.Values.Count && i < row.Values.Count; i++)
            {
                into.Values[i] = Counts.Add(into.Values[i], row.Values[i]);
            }
        }

        var merged = snapshot.Rows.Count - kept.Count;
        snapshot.Rows.Clear();
        snapshot.Rows.AddRange(kept);
        return merged;
    }
}
