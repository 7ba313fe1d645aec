using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Queries;

namespace Tracefleet.Server.History;

/// <summary>One key's totals over a range.</summary>
public sealed record KeyTotals(string Key, long First, long Second);

/// <summary>The busiest keys of one host's probe over a time range.</summary>
public static class TopQuery
{
    /// <summary>Sums per key over snapshots starting in [from, to), sorted by the first value descending, then by key; <paramref name="limit"/> 0 means all.</summary>
    public static Task<IReadOnlyList<KeyTotals>> RunAsync(
        TracefleetDb db, long hostId, Probe probe, long fromUnixMs, long toUnixMs, int limit, CancellationToken cancellationToken) =>
        HistoryQueries.ReadAsync(db, async reader =>
        {
            var sums = new KeySums();
            await reader.ScanAsync([hostId], probe, fromUnixMs, toUnixMs, 0, sums, cancellationToken).ConfigureAwait(false);
            var names = await reader.KeyNamesAsync(sums.Keys.Keys, cancellationToken).ConfigureAwait(false);
            var rows = sums.Keys.Select(k => new KeyTotals(names[k.Key], k.Value.First, k.Value.Second)).ToList();
            rows.Sort((a, b) => HistoryQueries.TopOrder(a.First, a.Second, a.Key, b.First, b.Second, b.Key));
            return (IReadOnlyList<KeyTotals>)(limit > 0 ? rows.Take(limit).ToList() : rows);
        }, cancellationToken);
}
