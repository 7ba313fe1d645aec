using Tracefleet.Contract.V1;

namespace Tracefleet.Contract;

/// <summary>
/// The cardinality budget of one snapshot, applied by the agent and again by the server: the busiest
/// keys are kept and every other one is summed into a single key, <see cref="Other"/>, so totals stay exact.
/// Works on the columnar form (<see cref="SnapshotColumns"/>).
/// </summary>
public static class KeyBudget
{
    public const string Other = "(other)";

    /// <summary>Folds the rows past <paramref name="maxKeys"/> into <see cref="Other"/>; returns how many keys were folded.</summary>
    public static int Fold(Snapshot snapshot, int maxKeys)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var keys = snapshot.Keys;
        if (maxKeys <= 0 || keys.Count <= maxKeys)
        {
            return 0;
        }

        var width = SnapshotColumns.Width(snapshot);
        Span<ulong> other = stackalloc ulong[width];
        var rows = new List<int>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] == Other)
            {
                SnapshotColumns.AddInto(snapshot, i, other);
            }
            else
            {
                rows.Add(i);
            }
        }

        // Busiest first, then the key for a stable choice.
        rows.Sort((a, b) => SnapshotColumns.Busier(snapshot, width, a, b));

        var keep = Math.Min(maxKeys, rows.Count);
        for (var i = keep; i < rows.Count; i++)
        {
            SnapshotColumns.AddInto(snapshot, rows[i], other);
        }

        var folded = rows.Count - keep;
        rows.RemoveRange(keep, folded);
        SnapshotColumns.Keep(snapshot, rows, Other, other);
        return folded;
    }

    /// <summary>Sums the given rows (indexes) of <paramref name="snapshot"/> into <see cref="Other"/> (merging an existing one) and removes them.</summary>
    public static void FoldIntoOther(Snapshot snapshot, IReadOnlyCollection<int> rows)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var folded = new HashSet<int>(rows);
        Span<ulong> other = stackalloc ulong[SnapshotColumns.Width(snapshot)];
        var keys = snapshot.Keys;
        var kept = new List<int>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] == Other || folded.Contains(i))
            {
                SnapshotColumns.AddInto(snapshot, i, other);
            }
            else
            {
                kept.Add(i);
            }
        }

        SnapshotColumns.Keep(snapshot, kept, Other, other);
    }
}
