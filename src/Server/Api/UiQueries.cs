using Tracefleet.Contract;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Queries;

namespace Tracefleet.Server.Api;

/// <summary>One key's totals over a range (saturated), with how many of the selected hosts had it.</summary>
public sealed record FleetKeyTotals(string Key, ulong First, ulong Second, int Hosts);

/// <summary>A compared key: each compared host's totals for it, in the order of the hosts, null where a host never had it.</summary>
public sealed record ComparedKey(string Key, IReadOnlyList<(ulong First, ulong Second)?> Values);

/// <summary>A bucket of a series: the sums (saturated) of the snapshots starting in [t, t + step).</summary>
public sealed record SeriesBucket(long HostId, string? Key, long Bucket, ulong First, ulong Second);

/// <summary>A snapshot as stored, with its rows.</summary>
public sealed record StoredSnapshot(long StartUnixMs, int DurationMs, long Sequence, IReadOnlyList<KeyTotals> Rows);

/// <summary>
/// The queries behind the UI's endpoints, over snapshots whose interval starts in [from, to). They read
/// through the store's tier-aware <see cref="HistoryReader"/>, so long ranges come from rollups with the same sums.
/// </summary>
public static class UiQueries
{
    /// <summary>Sums per key across the given hosts, sorted by the first value descending, then the second, then the key.</summary>
    public static Task<IReadOnlyList<FleetKeyTotals>> FleetTopAsync(
        TracefleetDb db, IReadOnlyCollection<long> hostIds, Probe probe, TimeRange range, int limit, CancellationToken cancellationToken) =>
        HistoryQueries.ReadAsync(db, async reader =>
        {
            var sums = new KeySums();
            await reader.ScanAsync(hostIds, probe, range.FromUnixMs, range.ToUnixMs, 0, sums, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<FleetKeyTotals>)await HistoryQueries.RankAsync(
                reader, sums.Keys, k => (k.Key, k.Value.First, k.Value.Second), (k, name) => new FleetKeyTotals(name, k.Value.First, k.Value.Second, k.Value.Hosts),
                limit, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// The union of each host's top <paramref name="limit"/> keys, with every host's totals for them, ordered by the largest
    /// first value any host has, then by key; at most <paramref name="maxRows"/> rows (the busiest). Only the chosen keys
    /// are named, so the answer costs the scans' sums by key id plus <paramref name="maxRows"/> names, whatever the hosts hold.
    /// </summary>
    public static Task<IReadOnlyList<ComparedKey>> CompareAsync(
        TracefleetDb db, IReadOnlyList<long> hostIds, Probe probe, TimeRange range, int limit, int maxRows, CancellationToken cancellationToken) =>
        HistoryQueries.ReadAsync(db, async reader =>
        {
            var perHost = new List<Dictionary<long, KeyTotal>>(hostIds.Count);
            var chosen = new Dictionary<long, string>();
            foreach (var hostId in hostIds)
            {
                var sums = new KeySums();
                await reader.ScanAsync([hostId], probe, range.FromUnixMs, range.ToUnixMs, 0, sums, cancellationToken).ConfigureAwait(false);
                perHost.Add(sums.Keys);
                // Each host's own top keys, so a key busy on one host only is still shown (and the others get null).
                var top = await HistoryQueries.RankAsync(
                    reader, sums.Keys, k => (k.Key, k.Value.First, k.Value.Second), (k, name) => (Id: k.Key, Name: name), limit, cancellationToken).ConfigureAwait(false);
                foreach (var (id, name) in top)
                {
                    chosen[id] = name;
                }
            }

            return (IReadOnlyList<ComparedKey>)[.. chosen
                .Select(k => (k.Value, Values: perHost.Select(t => t.TryGetValue(k.Key, out var v) ? (v.First, v.Second) : ((ulong, ulong)?)null).ToList()))
                .OrderByDescending(k => k.Values.Max(v => v?.Item1 ?? 0))
                .ThenBy(k => k.Value, StringComparer.Ordinal)
                .Take(maxRows)
                .Select(k => new ComparedKey(k.Value, k.Values))];
        }, cancellationToken);

    /// <summary>Per host and key (or per host, all keys summed, when <paramref name="keys"/> is empty), per bucket of <paramref name="stepMs"/>.</summary>
    public static Task<IReadOnlyList<SeriesBucket>> SeriesAsync(
        TracefleetDb db, IReadOnlyCollection<long> hostIds, IReadOnlyCollection<string> keys, Probe probe, TimeRange range, long stepMs,
        CancellationToken cancellationToken) =>
        HistoryQueries.ReadAsync(db, async reader =>
        {
            var wanted = keys.Count == 0 ? null : await reader.KeyIdsAsync(keys, cancellationToken).ConfigureAwait(false);
            if (wanted is { Count: 0 })
            {
                return (IReadOnlyList<SeriesBucket>)[];
            }

            var sums = new BucketSums(wanted is null ? null : [.. wanted.Keys]);
            await reader.ScanAsync(hostIds, probe, range.FromUnixMs, range.ToUnixMs, stepMs, sums, cancellationToken).ConfigureAwait(false);
            return [.. sums.Buckets
                .Select(b => new SeriesBucket(b.Key.Host, wanted is null ? null : wanted[b.Key.Key], b.Key.Bucket, b.Value.First, b.Value.Second))
                .OrderBy(t => t.HostId).ThenBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Bucket)];
        }, cancellationToken);

    /// <summary>
    /// The host's latest stored snapshot of the probe, rows sorted as the top; null when there is none. Latest by interval
    /// start, among those starting no later than <paramref name="notAfterUnixMs"/> (see <see cref="LatestBound"/>), so a
    /// snapshot stamped in the future by a clock since corrected does not stay "latest".
    /// </summary>
    public static Task<StoredSnapshot?> LatestAsync(TracefleetDb db, long hostId, Probe probe, int limit, long notAfterUnixMs, CancellationToken cancellationToken) =>
        HistoryQueries.ReadAsync(db, async reader =>
        {
            long start, sequence;
            int duration;
            List<KeyValues> values;
            await using (var command = reader.Command(
                "SELECT StartUnixMs, DurationMs, Sequence, Payload FROM Snapshots WHERE HostId = @host AND Probe = @probe AND StartUnixMs <= @notAfter ORDER BY StartUnixMs DESC, Id DESC LIMIT 1",
                ("@host", hostId), ("@probe", (long)probe), ("@notAfter", notAfterUnixMs)))
            await using (var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await row.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                (start, duration, sequence) = (row.GetInt64(0), row.GetInt32(1), row.GetInt64(2));
                values = SnapshotPayload.Decode((byte[])row.GetValue(3));
            }

            // The row's reader is closed first: a PostgreSQL connection runs one command at a time.
            var rows = await HistoryQueries.RankAsync(
                reader, values, v => (v.KeyId, v.First, v.Second), (v, name) => new KeyTotals(name, v.First, v.Second), limit, cancellationToken).ConfigureAwait(false);
            return new StoredSnapshot(start, duration, sequence, rows);
        }, cancellationToken);

    /// <summary>Sums per host, key (when keys are wanted, else all keys together) and output bucket.</summary>
    private sealed class BucketSums(HashSet<long>? keys) : ScanSink
    {
        public override IReadOnlySet<long>? KeyFilter => keys;

        public Dictionary<(long Host, long Key, long Bucket), (ulong First, ulong Second)> Buckets { get; } = [];

        public override void Add(long hostId, long bucket, long keyId, ulong first, ulong second)
        {
            ref var total = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(
                Buckets, (hostId, keys is null ? 0 : keyId, bucket), out _);
            total.First = Counts.Add(total.First, first);
            total.Second = Counts.Add(total.Second, second);
        }
    }
}
