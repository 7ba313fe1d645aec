using Tracefleet.Contract.V1;

namespace Tracefleet.Contract;

/// <summary>
/// The cardinality budget of one snapshot, applied by the agent and again by the server: the busiest
/// keys are kept and every other one is summed into a single key, <see cref="Other"/>, so totals stay exact.
/// </summary>
public static class KeyBudget
{
    public const string Other = "(other)";

    /// <summary>Folds the rows past <paramref name="maxKeys"/> into <see cref="Other"/>; returns how many keys were folded.</summary>
    public static int Fold(Snapshot snapshot, int maxKeys)
    {
        if (maxKeys <= 0 || snapshot.Rows.Count <= maxKeys)
        {
            return 0;
        }

        var width = snapshot.Rows.Max(r => r.Values.Count);
        var other = new ulong[width];
        var rows = new List<Row>(snapshot.Rows.Count);
        foreach (var row in snapshot.Rows)
        {
            if (row.Key == Other)
            {
                AddInto(other, row);
            }
            else
            {
                rows.Add(row);
            }
        }

        // Busiest first, then the key for a stable choice.
        rows.Sort(static (a, b) => BusiestFirst.Compare(a.Values, b.Values) is var byValues and not 0 ? byValues : string.CompareOrdinal(a.Key, b.Key));

        var kept = rows.Take(maxKeys).ToList();
        var folded = rows.Count - kept.Count;
        foreach (var row in rows.Skip(maxKeys))
        {
            AddInto(other, row);
        }

        Replace(snapshot, kept, other);
        return folded;
    }

    /// <summary>Sums the given rows of <paramref name="snapshot"/> into <see cref="Other"/> (merging an existing one) and removes them.</summary>
    public static void FoldIntoOther(Snapshot snapshot, IReadOnlyCollection<Row> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var folded = new HashSet<Row>(rows, ReferenceEqualityComparer.Instance);
        var other = new ulong[snapshot.Rows.Max(r => r.Values.Count)];
        var kept = new List<Row>(snapshot.Rows.Count);
        foreach (var row in snapshot.Rows)
        {
            if (row.Key == Other || folded.Contains(row))
            {
                AddInto(other, row);
            }
            else
            {
                kept.Add(row);
            }
        }

        Replace(snapshot, kept, other);
    }

    private static void Replace(Snapshot snapshot, List<Row> kept, ulong[] other)
    {
        var otherRow = new Row { Key = Other };
        otherRow.Values.AddRange(other);
        snapshot.Rows.Clear();
        snapshot.Rows.AddRange(kept);
        snapshot.Rows.Add(otherRow);
    }

    private static void AddInto(ulong[] sums, Row row)
    {
        for (var i = 0; i < row.Values.Count && i < sums.Length; i++)
        {
            sums[i] = Counts.Add(sums[i], row.Values[i]);
        }
    }
}
