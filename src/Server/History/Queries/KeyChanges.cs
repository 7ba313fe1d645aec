using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.History.Queries;

/// <summary>A key's totals in two windows of equal length (saturated, in column order); null where it had nothing in that window.</summary>
public sealed record KeyChange(string Key, RowValues? Now, RowValues? Then, Int128 Change);

/// <summary>
/// "What changed" between a window and the same window earlier (the idea of PCP's <c>pmdiff</c>, on keys instead of
/// metrics): every key's totals in both, ranked by how far a measure of them moved.
/// </summary>
public static class KeyChanges
{
    /// <summary>
    /// Keys of the given hosts (summed across them) over [<paramref name="fromUnixMs"/>, <paramref name="toUnixMs"/>) and
    /// over the same window <paramref name="shiftMs"/> earlier, ordered by |measure(now) − measure(then)| descending, then
    /// key (ordinal); a key absent from a window measures as a row of zeros there. Keys that did not move are left out.
    /// At most <paramref name="limit"/> rows; only the keys that make them are named.
    /// </summary>
    public static Task<IReadOnlyList<KeyChange>> ChangesAsync(
        this HistoryQueries queries, IReadOnlyCollection<long> hostIds, Probe probe, long fromUnixMs, long toUnixMs, long shiftMs,
        Func<RowValues, Int128> measure, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(measure);
        return queries.ReadAsync(async reader =>
        {
            var now = new KeySums();
            var then = new KeySums();
            await reader.ScanAsync(hostIds, probe, fromUnixMs, toUnixMs, 0, now, cancellationToken).ConfigureAwait(false);
            await reader.ScanAsync(hostIds, probe, fromUnixMs - shiftMs, toUnixMs - shiftMs, 0, then, cancellationToken).ConfigureAwait(false);

            var moved = new List<(long Id, RowValues? Now, RowValues? Then, Int128 Change)>();
            foreach (var id in now.Keys.Keys.Union(then.Keys.Keys))
            {
                RowValues? a = now.Keys.TryGetValue(id, out var n) ? n.Sums : null;
                RowValues? b = then.Keys.TryGetValue(id, out var t) ? t.Sums : null;
                var change = measure(a ?? default) - measure(b ?? default);
                if (change != 0)
                {
                    moved.Add((id, a, b, change));
                }
            }

            // Name only the keys that can make the top: those whose change reaches the limit-th's (ties there go by name).
            moved.Sort((x, y) => Int128.Abs(y.Change).CompareTo(Int128.Abs(x.Change)));
            if (moved.Count > limit)
            {
                var last = Int128.Abs(moved[limit - 1].Change);
                moved = [.. moved.TakeWhile(m => Int128.Abs(m.Change) >= last)];
            }

            var names = await reader.KeyNamesAsync(moved.Select(m => m.Id), cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<KeyChange>)[.. moved
                .Select(m => new KeyChange(names[m.Id], m.Now, m.Then, m.Change))
                .OrderByDescending(c => Int128.Abs(c.Change))
                .ThenBy(c => c.Key, StringComparer.Ordinal)
                .Take(limit)];
        }, cancellationToken);
    }
}
