using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Queries;

namespace Tracefleet.Server.History;

/// <summary>One key's totals over a range, saturated at <see cref="Tracefleet.Contract.Counts.Saturated"/>.</summary>
public sealed record KeyTotals(string Key, ulong First, ulong Second);

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
            return (IReadOnlyList<KeyTotals>)await HistoryQueries.RankAsync(
                reader, sums.Keys, k => (k.Key, k.Value.First, k.Value.Second), (k, name) => new KeyTotals(name, k.Value.First, k.Value.Second),
                limit, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
