using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Engines;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.History.Queries;

/// <summary>
/// Every read of the store the API and the live feed make: the hosts, and sums over snapshots whose interval starts in
/// [from, to) (Unix milliseconds; <see cref="long.MinValue"/> and <see cref="long.MaxValue"/> for all history). Sums come
/// through the tier-aware <see cref="HistoryReader"/>, so long ranges are read from rollups with the same sums, and are
/// saturated at <see cref="Tracefleet.Contract.Counts.Saturated"/>. One per request scope.
/// </summary>
public sealed class HistoryQueries(TracefleetDb db, IStoreEngine engine, SettledBucketCache settled)
{
    /// <summary>Every host that has reported, by name.</summary>
    public async Task<IReadOnlyList<HostRecord>> HostsAsync(CancellationToken cancellationToken) =>
        await db.Hosts.AsNoTracking().OrderBy(h => h.Name).ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Every host's name, in no particular order.</summary>
    public async Task<IReadOnlyList<string>> HostNamesAsync(CancellationToken cancellationToken) =>
        await db.Hosts.AsNoTracking().Select(h => h.Name).ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The host named <paramref name="name"/>; null when none has reported.</summary>
    public Task<HostRecord?> HostAsync(string name, CancellationToken cancellationToken) =>
        db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Name == name, cancellationToken);

    /// <summary>The id of the host named <paramref name="name"/>; null when none has reported.</summary>
    public Task<long?> HostIdAsync(string name, CancellationToken cancellationToken) =>
        db.Hosts.Where(h => h.Name == name).Select(h => (long?)h.Id).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The named hosts' ids and names (all hosts when none is named); the name of the first unknown host, if any.</summary>
    public async Task<(Dictionary<long, string> Hosts, string? Unknown)> ResolveHostsAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var wanted = names.Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).ToList();
        var query = db.Hosts.AsNoTracking();
        var found = wanted.Count == 0
            ? await query.Select(h => new { h.Id, h.Name }).ToListAsync(cancellationToken).ConfigureAwait(false)
            : await query.Where(h => wanted.Contains(h.Name)).Select(h => new { h.Id, h.Name }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var unknown = wanted.FirstOrDefault(n => !found.Any(h => h.Name == n));
        return (found.ToDictionary(h => h.Id, h => h.Name), unknown);
    }

    /// <summary>One host's sums per key, in <see cref="Ranking.TopOrder"/>; <paramref name="limit"/> 0 means all.</summary>
    public Task<IReadOnlyList<KeyTotals>> TopAsync(long hostId, Probe probe, long fromUnixMs, long toUnixMs, int limit, CancellationToken cancellationToken) =>
        ReadAsync(async reader =>
        {
            var sums = new KeySums();
            await reader.ScanAsync([hostId], probe, fromUnixMs, toUnixMs, 0, sums, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<KeyTotals>)await Ranking.RankAsync(
                reader, sums.Keys, k => (k.Key, k.Value.Sums), (k, name) => new KeyTotals(name, k.Value.Sums),
                limit, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Sums per key across the given hosts (null: every host), in <see cref="Ranking.TopOrder"/>, with how many of them had
    /// each key. The whole fleet's settled buckets are read from <see cref="SettledBucketCache"/>.
    /// </summary>
    public Task<IReadOnlyList<FleetKeyTotals>> FleetTopAsync(
        IReadOnlyCollection<long>? hostIds, Probe probe, long fromUnixMs, long toUnixMs, int limit, CancellationToken cancellationToken) =>
        ReadAsync(async reader =>
        {
            var sums = new KeySums();
            if (hostIds is null)
            {
                await reader.ScanFleetAsync(probe, fromUnixMs, toUnixMs, sums, settled, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await reader.ScanAsync(hostIds, probe, fromUnixMs, toUnixMs, 0, sums, cancellationToken).ConfigureAwait(false);
            }

            return (IReadOnlyList<FleetKeyTotals>)await Ranking.RankAsync(
                reader, sums.Keys, k => (k.Key, k.Value.Sums), (k, name) => new FleetKeyTotals(name, k.Value.Sums, k.Value.Hosts),
                limit, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// The union of each host's top <paramref name="limit"/> keys, with every host's totals for them, ordered by the largest
    /// value of the probe's ranked column any host has, then by key; at most <paramref name="maxRows"/> rows (the busiest). Only the chosen keys
    /// are named, so the answer costs the scans' sums by key id plus <paramref name="maxRows"/> names, whatever the hosts hold.
    /// </summary>
    public Task<IReadOnlyList<ComparedKey>> CompareAsync(
        IReadOnlyList<long> hostIds, Probe probe, long fromUnixMs, long toUnixMs, int limit, int maxRows, CancellationToken cancellationToken) =>
        ReadAsync(async reader =>
        {
            var perHost = new List<Dictionary<long, KeyTotal>>(hostIds.Count);
            var chosen = new Dictionary<long, string>();
            foreach (var hostId in hostIds)
            {
                var sums = new KeySums();
                await reader.ScanAsync([hostId], probe, fromUnixMs, toUnixMs, 0, sums, cancellationToken).ConfigureAwait(false);
                perHost.Add(sums.Keys);
                // Each host's own top keys, so a key busy on one host only is still shown (and the others get null).
                var top = await Ranking.RankAsync(
                    reader, sums.Keys, k => (k.Key, k.Value.Sums), (k, name) => (Id: k.Key, Name: name), limit, cancellationToken).ConfigureAwait(false);
                foreach (var (id, name) in top)
                {
                    chosen[id] = name;
                }
            }

            // The ranked column is a row's first value (see ProbeDefinition.RankedBy).
            return (IReadOnlyList<ComparedKey>)[.. chosen
                .Select(k => (k.Value, Values: perHost.Select(t => t.TryGetValue(k.Key, out var v) ? v.Sums : (RowValues?)null).ToList()))
                .OrderByDescending(k => k.Values.Max(v => v?[0] ?? 0))
                .ThenBy(k => k.Value, StringComparer.Ordinal)
                .Take(maxRows)
                .Select(k => new ComparedKey(k.Value, k.Values))];
        }, cancellationToken);

    /// <summary>
    /// Per host and key (or per host, all keys summed, when <paramref name="keys"/> is empty), per bucket of <paramref name="stepMs"/>
    /// counted from <paramref name="fromUnixMs"/>, the sums with the peak and low second (see <see cref="SeriesBucket"/>);
    /// ordered by host id, key, bucket. Keys never stored are left out.
    /// </summary>
    public Task<IReadOnlyList<SeriesBucket>> SeriesAsync(
        IReadOnlyCollection<long> hostIds, IReadOnlyCollection<string> keys, Probe probe, long fromUnixMs, long toUnixMs, long stepMs,
        CancellationToken cancellationToken) =>
        ReadAsync(async reader =>
        {
            var wanted = keys.Count == 0 ? null : await reader.KeyIdsAsync(keys, cancellationToken).ConfigureAwait(false);
            if (wanted is { Count: 0 })
            {
                return (IReadOnlyList<SeriesBucket>)[];
            }

            var sums = new BucketSums(wanted is null ? null : [.. wanted.Keys]);
            await reader.ScanAsync(hostIds, probe, fromUnixMs, toUnixMs, stepMs, sums, cancellationToken).ConfigureAwait(false);
            return [.. sums.Buckets
                .Select(b => new SeriesBucket(
                    b.Key.Host, wanted is null ? null : wanted[b.Key.Key], b.Key.Bucket, b.Value.Sums, sums.Peaks(b.Key, b.Value), sums.Lows(b.Key, b.Value)))
                .OrderBy(t => t.HostId).ThenBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Bucket)];
        }, cancellationToken);

    /// <summary>
    /// The host's latest stored snapshot of the probe, its top <paramref name="limit"/> rows (0: all) in <see cref="Ranking.TopOrder"/>;
    /// null when there is none. Latest by interval start, among those starting no later than <paramref name="notAfterUnixMs"/>,
    /// so a snapshot stamped in the future by a clock since corrected does not stay "latest".
    /// </summary>
    public Task<StoredSnapshot?> LatestAsync(long hostId, Probe probe, int limit, long notAfterUnixMs, CancellationToken cancellationToken) =>
        ReadAsync(async reader =>
        {
            var latest = await reader.LatestRowAsync(hostId, probe, notAfterUnixMs, cancellationToken).ConfigureAwait(false);
            if (await reader.LatestPackedAsync(hostId, probe, notAfterUnixMs, cancellationToken).ConfigureAwait(false) is { } packed
                && (latest is null || packed.StartUnixMs > latest.StartUnixMs))
            {
                latest = packed;
            }

            if (latest is null)
            {
                return null;
            }

            // The readers above are closed first: a PostgreSQL connection runs one command at a time.
            var rows = await Ranking.RankAsync(
                reader, latest.Rows, v => (v.KeyId, v.Values), (v, name) => new KeyTotals(name, v.Values), limit, cancellationToken).ConfigureAwait(false);
            return new StoredSnapshot(latest.StartUnixMs, latest.DurationMs, latest.Sequence, rows);
        }, cancellationToken);

    /// <summary>Runs <paramref name="read"/> on the context's connection in one read transaction of the engine's <see cref="IStoreEngine.ConsistentRead"/>.</summary>
    public async Task<T> ReadAsync<T>(Func<HistoryReader, Task<T>> read, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(engine.ConsistentRead, cancellationToken).ConfigureAwait(false);
            using var reader = new HistoryReader(connection, transaction, engine);
            return await read(reader).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }
}
