using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.History;

/// <summary>One key's totals over a range.</summary>
public sealed record KeyTotals(string Key, long First, long Second);

/// <summary>The busiest keys of one host's probe over a time range.</summary>
public static class TopQuery
{
    /// <summary>Sums per key over snapshots starting in [from, to), sorted by the first value descending, then by key; <paramref name="limit"/> 0 means all.</summary>
    public static async Task<IReadOnlyList<KeyTotals>> RunAsync(
        TracefleetDb db, long hostId, Probe probe, long fromUnixMs, long toUnixMs, int limit, CancellationToken cancellationToken)
    {
        var totals =
            from sample in db.Samples
            join snapshot in db.Snapshots on sample.SnapshotId equals snapshot.Id
            where snapshot.HostId == hostId && snapshot.Probe == probe
                  && snapshot.StartUnixMs >= fromUnixMs && snapshot.StartUnixMs < toUnixMs
            group sample by sample.KeyId into byKey
            select new { KeyId = byKey.Key, First = byKey.Sum(s => s.First), Second = byKey.Sum(s => s.Second) };

        var named =
            from total in totals
            join key in db.Keys on total.KeyId equals key.Id
            orderby total.First descending, total.Second descending, key.Text
            select new KeyTotals(key.Text, total.First, total.Second);

        return limit > 0
            ? await named.Take(limit).AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false)
            : await named.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
