using Tracefleet.Contract;
using Tracefleet.Server.History.Encoding;

namespace Tracefleet.Server.History.Queries;

/// <summary>The order of every top, and the naming of only the keys that make one.</summary>
public static class Ranking
{
    private static readonly Comparer<RowValues> LeastBusyFirst = Comparer<RowValues>.Create((a, b) => BusiestFirst.Compare(b.AsSpan(), a.AsSpan()));

    /// <summary>
    /// The top <paramref name="limit"/> (0: all) of <paramref name="items"/> in <see cref="TopOrder"/>, each made with its key's
    /// name. Only the keys whose counts reach the limit-th key's are named (ties there are decided by name), so a top 1
    /// of a 200-key snapshot looks up one or a few names, not 200.
    /// </summary>
    public static async Task<List<T>> RankAsync<TItem, T>(
        HistoryReader reader, IReadOnlyCollection<TItem> items, Func<TItem, (long KeyId, RowValues Values)> counts,
        Func<TItem, string, T> make, int limit, CancellationToken cancellationToken)
    {
        var candidates = items.Select(i => (Item: i, Counts: counts(i))).ToList();
        if (limit > 0 && candidates.Count > limit)
        {
            // The limit-th busiest counts, from a heap of the busiest so far with the least busy on top: a fleet's week holds
            // hundreds of thousands of keys, and sorting them all to keep 20 was a tenth of the top's time.
            var busiest = new PriorityQueue<int, RowValues>(limit + 1, LeastBusyFirst);
            foreach (var candidate in candidates)
            {
                if (busiest.Count < limit)
                {
                    busiest.Enqueue(0, candidate.Counts.Values);
                }
                else if (busiest.TryPeek(out _, out var least) && BusiestFirst.Compare(candidate.Counts.Values.AsSpan(), least.AsSpan()) < 0)
                {
                    busiest.EnqueueDequeue(0, candidate.Counts.Values);
                }
            }

            busiest.TryPeek(out _, out var last);
            candidates = [.. candidates.Where(c => BusiestFirst.Compare(c.Counts.Values.AsSpan(), last.AsSpan()) <= 0)];
        }

        var names = await reader.KeyNamesAsync(candidates.Select(c => c.Counts.KeyId), cancellationToken).ConfigureAwait(false);
        var ranked = candidates.Select(c => (c.Item, c.Counts, Name: names[c.Counts.KeyId])).ToList();
        ranked.Sort((a, b) => TopOrder(a.Counts.Values, a.Name, b.Counts.Values, b.Name));
        return [.. (limit > 0 ? ranked.Take(limit) : ranked).Select(r => make(r.Item, r.Name))];
    }

    /// <summary>
    /// The order of every top: <see cref="BusiestFirst"/> (the probe's ranked column descending, then each following
    /// column descending), then key (ordinal).
    /// </summary>
    public static int TopOrder(in RowValues valuesA, string keyA, in RowValues valuesB, string keyB)
    {
        var c = BusiestFirst.Compare(valuesA.AsSpan(), valuesB.AsSpan());
        return c != 0 ? c : string.CompareOrdinal(keyA, keyB);
    }
}
