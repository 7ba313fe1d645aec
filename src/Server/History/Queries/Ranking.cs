namespace Tracefleet.Server.History.Queries;

/// <summary>The order of every top, and the naming of only the keys that make one.</summary>
public static class Ranking
{
    /// <summary>
    /// The top <paramref name="limit"/> (0: all) of <paramref name="items"/> in <see cref="TopOrder"/>, each made with its key's
    /// name. Only the keys whose counts reach the limit-th key's are named (ties there are decided by name), so a top 1
    /// of a 200-key snapshot looks up one or a few names, not 200.
    /// </summary>
    public static async Task<List<T>> RankAsync<TItem, T>(
        HistoryReader reader, IReadOnlyCollection<TItem> items, Func<TItem, (long KeyId, ulong First, ulong Second)> counts,
        Func<TItem, string, T> make, int limit, CancellationToken cancellationToken)
    {
        var candidates = items.Select(i => (Item: i, Counts: counts(i))).ToList();
        if (limit > 0 && candidates.Count > limit)
        {
            candidates.Sort((a, b) => b.Counts.First != a.Counts.First ? b.Counts.First.CompareTo(a.Counts.First) : b.Counts.Second.CompareTo(a.Counts.Second));
            var last = candidates[limit - 1].Counts;
            candidates = [.. candidates.TakeWhile(c => c.Counts.First > last.First || (c.Counts.First == last.First && c.Counts.Second >= last.Second))];
        }

        var names = await reader.KeyNamesAsync(candidates.Select(c => c.Counts.KeyId), cancellationToken).ConfigureAwait(false);
        var ranked = candidates.Select(c => (c.Item, c.Counts, Name: names[c.Counts.KeyId])).ToList();
        ranked.Sort((a, b) => TopOrder(a.Counts.First, a.Counts.Second, a.Name, b.Counts.First, b.Counts.Second, b.Name));
        return [.. (limit > 0 ? ranked.Take(limit) : ranked).Select(r => make(r.Item, r.Name))];
    }

    /// <summary>The order of every top: first value descending, then second descending, then key (ordinal).</summary>
    public static int TopOrder(ulong firstA, ulong secondA, string keyA, ulong firstB, ulong secondB, string keyB)
    {
        var c = firstB.CompareTo(firstA);
        if (c == 0)
        {
            c = secondB.CompareTo(secondA);
        }

        return c != 0 ? c : string.CompareOrdinal(keyA, keyB);
    }
}
