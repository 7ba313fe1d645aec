using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Makes a snapshot's keys obey <see cref="KeyRule"/> before it is stored: an agent of this version never sends a key
/// that needs it, an older or foreign one may (a control character, a NUL, an empty key, a key longer than
/// <c>Limits:MaxKeyLength</c>). Repaired keys that become equal, and keys sent twice, are summed into one row
/// (saturating), so nothing is lost. Works on the columnar form (<see cref="SnapshotColumns"/>), whichever form came.
/// </summary>
public static class KeyRepair
{
    /// <summary>Repairs in place; returns how many rows changed (a key rewritten or a row merged into another).</summary>
    public static int Apply(Snapshot snapshot, int maxKeyLength)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var changed = 0;
        var keys = snapshot.Keys;
        var seen = new HashSet<string>(keys.Count, StringComparer.Ordinal);
        var duplicates = false;
        for (var i = 0; i < keys.Count; i++)
        {
            if (!KeyRule.IsValid(keys[i], maxKeyLength))
            {
                keys[i] = KeyRule.Normalize(keys[i], maxKeyLength);
                changed++;
            }

            duplicates |= !seen.Add(keys[i]);
        }

        return duplicates ? changed + Merge(snapshot) : changed;
    }

    private static int Merge(Snapshot snapshot)
    {
        var keys = snapshot.Keys;
        var values = snapshot.Values;
        var width = SnapshotColumns.Width(snapshot);
        var first = new Dictionary<string, int>(keys.Count, StringComparer.Ordinal);
        var kept = new List<int>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            if (!first.TryGetValue(keys[i], out var into))
            {
                first[keys[i]] = i;
                kept.Add(i);
                continue;
            }

            for (var v = 0; v < width; v++)
            {
                values[(into * width) + v] = Counts.Add(values[(into * width) + v], values[(i * width) + v]);
            }
        }

        var merged = keys.Count - kept.Count;
        SnapshotColumns.Keep(snapshot, kept, "", []);
        return merged;
    }
}
