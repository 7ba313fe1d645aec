using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Api;

/// <summary>One key's totals over a range, with how many of the selected hosts had it.</summary>
public sealed record FleetKeyTotals(string Key, long First, long Second, int Hosts);

/// <summary>A bucket of a series: the sums of the snapshots starting in [t, t + step).</summary>
public sealed record SeriesBucket(long HostId, string? Key, long Bucket, long First, long Second);

/// <summary>A snapshot as stored, with its rows.</summary>
public sealed record StoredSnapshot(long StartUnixMs, int DurationMs, long Sequence, IReadOnlyList<KeyTotals> Rows);

/// <summary>The queries behind the UI's endpoints, over snapshots whose interval starts in [from, to).</summary>
public static class UiQueries
{
    /// <summary>Sums per key across the given hosts, sorted by the first value descending, then the second, then the key.</summary>
    public static async Task<IReadOnlyList<FleetKeyTotals>> FleetTopAsync(
        TracefleetDb db, IReadOnlyCollection<long> hostIds, Probe probe, TimeRange range, int limit, CancellationToken cancellationToken)
    {
        var totals =
            from sample in db.Samples
            join snapshot in db.Snapshots on sample.SnapshotId equals snapshot.Id
            where hostIds.Contains(snapshot.HostId) && snapshot.Probe == probe
                  && snapshot.StartUnixMs >= range.FromUnixMs && snapshot.StartUnixMs < range.ToUnixMs
            group new { sample.First, sample.Second, snapshot.HostId } by sample.KeyId into byKey
            select new
            {
                KeyId = byKey.Key,
                First = byKey.Sum(s => s.First),
                Second = byKey.Sum(s => s.Second),
                Hosts = byKey.Select(s => s.HostId).Distinct().Count(),
            };

        var named =
            from total in totals
            join key in db.Keys on total.KeyId equals key.Id
            orderby total.First descending, total.Second descending, key.Text
            select new FleetKeyTotals(key.Text, total.First, total.Second, total.Hosts);

        return limit > 0
            ? await named.Take(limit).AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false)
            : await named.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Per host and key (or per host, all keys summed, when <paramref name="keys"/> is empty), per bucket of <paramref name="stepMs"/>.</summary>
    public static async Task<IReadOnlyList<SeriesBucket>> SeriesAsync(
        TracefleetDb db, IReadOnlyCollection<long> hostIds, IReadOnlyCollection<string> keys, Probe probe, TimeRange range, long stepMs,
        CancellationToken cancellationToken)
    {
        var samples =
            from sample in db.Samples
            join snapshot in db.Snapshots on sample.SnapshotId equals snapshot.Id
            where hostIds.Contains(snapshot.HostId) && snapshot.Probe == probe
                  && snapshot.StartUnixMs >= range.FromUnixMs && snapshot.StartUnixMs < range.ToUnixMs
            select new { snapshot.HostId, snapshot.StartUnixMs, sample.KeyId, sample.First, sample.Second };
        var fromMs = range.FromUnixMs;

        if (keys.Count == 0)
        {
            var totals = await (
                from s in samples
                group s by new { s.HostId, Bucket = (s.StartUnixMs - fromMs) / stepMs } into g
                select new { g.Key.HostId, g.Key.Bucket, First = g.Sum(x => x.First), Second = g.Sum(x => x.Second) })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. totals.Select(t => new SeriesBucket(t.HostId, null, t.Bucket, t.First, t.Second)).OrderBy(t => t.HostId).ThenBy(t => t.Bucket)];
        }

        var perKey = await (
            from s in samples
            join key in db.Keys on s.KeyId equals key.Id
            where keys.Contains(key.Text)
            group s by new { s.HostId, key.Text, Bucket = (s.StartUnixMs - fromMs) / stepMs } into g
            select new { g.Key.HostId, g.Key.Text, g.Key.Bucket, First = g.Sum(x => x.First), Second = g.Sum(x => x.Second) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. perKey.Select(t => new SeriesBucket(t.HostId, t.Text, t.Bucket, t.First, t.Second))
            .OrderBy(t => t.HostId).ThenBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Bucket)];
    }

    /// <summary>The host's latest stored snapshot of the probe (by interval start), rows sorted as the top; null when there is none.</summary>
    public static async Task<StoredSnapshot?> LatestAsync(TracefleetDb db, long hostId, Probe probe, int limit, CancellationToken cancellationToken)
    {
        var latest = await db.Snapshots.AsNoTracking()
            .Where(s => s.HostId == hostId && s.Probe == probe)
            .OrderByDescending(s => s.StartUnixMs).ThenByDescending(s => s.Id)
            .Select(s => new { s.Id, s.StartUnixMs, s.DurationMs, s.Sequence })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return null;
        }

        var rows =
            from sample in db.Samples
            join key in db.Keys on sample.KeyId equals key.Id
            where sample.SnapshotId == latest.Id
            orderby sample.First descending, sample.Second descending, key.Text
            select new KeyTotals(key.Text, sample.First, sample.Second);
        var list = limit > 0
            ? await rows.Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false)
            : await rows.ToListAsync(cancellationToken).ConfigureAwait(false);
        return new StoredSnapshot(latest.StartUnixMs, latest.DurationMs, latest.Sequence, list);
    }
}
