using System.Data.Common;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Engines;
using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Maintenance;
using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Queries;

/// <summary>
/// The tier-aware read side: sums (with each key's and each snapshot total's least and greatest second) over [from, to) per output bucket, read from the coarsest tier that
/// answers each part (see <see cref="TierPlan"/>). Runs in one read transaction, so rollup progress,
/// rollups and raw snapshots are seen at one instant (WAL) and the sums equal the raw sums exactly.
/// </summary>
public sealed partial class HistoryReader(DbConnection connection, DbTransaction transaction, IStoreEngine engine) : IDisposable
{
    /// <summary>Beyond this many raw slices, one scan over their hull is cheaper than a query per slice.</summary>
    private const int MaxRawQueries = 32;

    private byte[] _blob = new byte[64 * 1024];
    private RawBlockCodec? _blocks;

    public void Dispose() => _blocks?.Dispose();

    /// <summary>Feeds <paramref name="sink"/> with every contribution; output bucket = (t − from) / step, or 0 when <paramref name="stepMs"/> is 0.</summary>
    public Task ScanAsync(
        IReadOnlyCollection<long> hostIds, Probe probe, long fromMs, long toMs, long stepMs, ScanSink sink, CancellationToken cancellationToken) =>
        hostIds.Count == 0 ? Task.CompletedTask : ScanAsync(string.Join(",", hostIds), probe, fromMs, toMs, stepMs, sink, null, cancellationToken);

    /// <summary>
    /// Every host's sums per key over [from, to) into <paramref name="sums"/>, as <see cref="ScanAsync(IReadOnlyCollection{long}, Probe, long, long, long, ScanSink, CancellationToken)"/>
    /// over all hosts would add them, settled rollup buckets taken from (and kept in) <paramref name="cache"/>.
    /// </summary>
    public Task ScanFleetAsync(Probe probe, long fromMs, long toMs, KeySums sums, SettledBucketCache cache, CancellationToken cancellationToken) =>
        ScanAsync(null, probe, fromMs, toMs, 0, sums, cache.Enabled ? cache : null, cancellationToken);

    // hosts: a SQL list of host ids, or null for all. cache: only with a KeySums sink, all hosts and one output bucket.
    private async Task ScanAsync(
        string? hosts, Probe probe, long fromMs, long toMs, long stepMs, ScanSink sink, SettledBucketCache? cache, CancellationToken cancellationToken)
    {
        if (fromMs >= toMs)
        {
            return;
        }

        var origin = fromMs;
        if (fromMs == long.MinValue || toMs == long.MaxValue)
        {
            // "All history": the plan walks buckets, so bound the range by the data first.
            var (lo, hi) = await DataBoundsAsync(cancellationToken).ConfigureAwait(false);
            (fromMs, toMs) = (Math.Max(fromMs, lo), Math.Min(toMs, hi));
            if (fromMs >= toMs)
            {
                return;
            }
        }

        var progress = await ProgressAsync(cancellationToken).ConfigureAwait(false);
        var bucketsEnd = progress.LatestStart is { } latest && latest < toMs ? long.MaxValue : toMs;
        var plan = TierPlan.Make(fromMs, toMs, bucketsEnd, stepMs == 0 ? fromMs : origin, stepMs, progress.Folded);
        long Bucket(long t) => stepMs == 0 ? 0 : (t - origin) / stepMs;

        var mergedPastMark = new MergedPastMark(progress.Mark, plan);
        foreach (var (tier, slices) in plan.Rollups)
        {
            // Retention and the size cap delete a tier's oldest buckets first, in batches that may stop inside one bucket start.
            var oldest = cache is null || slices.Count == 0 ? long.MaxValue : await OldestBucketAsync(tier, cancellationToken).ConfigureAwait(false);
            foreach (var slice in slices)
            {
                if (cache is null)
                {
                    await ReadRollupsAsync(tier, hosts, probe, slice, sink, Bucket, mergedPastMark, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await ReadSettledAsync(tier, probe, slice, oldest, (KeySums)sink, cache, progress, mergedPastMark, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // Buckets hold every rolled-up snapshot; the ones not rolled up yet (all starting at or after rolledUntil)
        // are added from raw, except where a raw slice below reads them anyway, and except those a rollup pass under way
        // has already merged into the bucket read above.
        if (progress.RolledUntil < toMs)
        {
            var unrolled = new Slice(Math.Max(fromMs, progress.RolledUntil), toMs);
            await ReadRawAsync(hosts, probe, unrolled, null, sink, Bucket, cancellationToken, afterId: progress.Mark, except: plan.Raw, merged: mergedPastMark).ConfigureAwait(false);
        }

        // Raw slices: rows, and the rolled-up snapshots packed into blocks since.
        if (plan.Raw.Count <= MaxRawQueries)
        {
            foreach (var slice in plan.Raw)
            {
                await ReadRawAsync(hosts, probe, slice, null, sink, Bucket, cancellationToken).ConfigureAwait(false);
                await ReadBlocksAsync(hosts, probe, slice, null, sink, Bucket, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            var hull = new Slice(plan.Raw[0].Start, plan.Raw[^1].End);
            await ReadRawAsync(hosts, probe, hull, plan.Raw, sink, Bucket, cancellationToken).ConfigureAwait(false);
            await ReadBlocksAsync(hosts, probe, hull, plan.Raw, sink, Bucket, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The slice's buckets, every host summed: a settled bucket after the tier's <paramref name="oldest"/> from <paramref name="cache"/>, read and
    /// kept there when missing (unless a pass under way has merged into it past the mark); the others read as they are.
    /// </summary>
    private async Task ReadSettledAsync(
        Tier tier, Probe probe, Slice slice, long oldest, KeySums sums, SettledBucketCache cache, RollupProgress progress, MergedPastMark merged,
        CancellationToken cancellationToken)
    {
        var size = tier.BucketMs();
        var settledBefore = tier switch { Tier.Minute => progress.Settled.MinutesBefore, Tier.Hour => progress.Folded.Hours, _ => progress.Folded.Days };
        var unsettled = slice.Start;
        for (var b = slice.Start; b < slice.End; b += size)
        {
            if (b <= oldest || b + size > settledBefore)
            {
                continue;
            }

            if (unsettled < b)
            {
                await ReadRollupsAsync(tier, null, probe, new Slice(unsettled, b), sums, _ => 0, merged, cancellationToken).ConfigureAwait(false);
            }

            unsettled = b + size;
            if (cache.Get(progress.Settled.Revision, tier, probe.Id, b) is not { } kept)
            {
                kept = new KeySums();
                if (!await ReadRollupsAsync(tier, null, probe, new Slice(b, b + size), kept, _ => 0, merged, cancellationToken).ConfigureAwait(false))
                {
                    cache.Put(progress.Settled.Revision, tier, probe.Id, b, kept);
                }
            }

            sums.Add(kept);
        }

        if (unsettled < slice.End)
        {
            await ReadRollupsAsync(tier, null, probe, new Slice(unsettled, slice.End), sums, _ => 0, merged, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the buckets of <paramref name="hosts"/> (null: all) starting in the slice; returns whether any was merged past the mark.</summary>
    private async Task<bool> ReadRollupsAsync(
        Tier tier, string? hosts, Probe probe, Slice slice, ScanSink sink, Func<long, long> bucket, MergedPastMark merged, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"SELECT HostId, BucketStartUnixMs, Payload, MergedToSnapshotId FROM Rollups WHERE Tier = @tier{HostsIn(hosts)} AND Probe = @probe AND BucketStartUnixMs >= @from AND BucketStartUnixMs < @to ORDER BY HostId",
            ("@tier", (long)tier), ("@probe", (long)probe.Id), ("@from", slice.Start), ("@to", slice.End));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var pastMark = false;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var (hostId, at) = (reader.GetInt64(0), bucket(reader.GetInt64(1)));
            pastMark |= merged.Saw(tier, hostId, reader.GetInt64(1), reader.GetInt64(3));
            var visitor = new Forward(sink, hostId, at);
            if (sink.SumsOnly)
            {
                RollupPayload.DecodeSums(Blob(reader, 2), ref visitor);
            }
            else if (!RollupPayload.Decode(Blob(reader, 2), ref visitor))
            {
                sink.SnapshotsUnknown(hostId, at);
            }
        }

        return pastMark;
    }

    /// <summary>The start of the tier's oldest bucket stored; <see cref="long.MaxValue"/> when none is.</summary>
    private async Task<long> OldestBucketAsync(Tier tier, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT MIN(BucketStartUnixMs) FROM Rollups WHERE Tier = @tier", ("@tier", (long)tier));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long oldest ? oldest : long.MaxValue;
    }

    private static string HostsIn(string? hosts) => hosts is null ? "" : $" AND HostId IN ({hosts})";

    /// <summary>
    /// Raw snapshots in <paramref name="slice"/>: only those inside <paramref name="only"/>, none inside <paramref name="except"/>,
    /// only ids above <paramref name="afterId"/>, none that <paramref name="merged"/> says a bucket read already holds.
    /// </summary>
    private async Task ReadRawAsync(
        string? hosts, Probe probe, Slice slice, IReadOnlyList<Slice>? only, ScanSink sink, Func<long, long> bucket, CancellationToken cancellationToken,
        long afterId = 0, IReadOnlyList<Slice>? except = null, MergedPastMark? merged = null)
    {
        await using var command = Command(
            $"SELECT HostId, StartUnixMs, Payload, Id FROM Snapshots WHERE Probe = @probe{HostsIn(hosts)} AND StartUnixMs >= @from AND StartUnixMs < @to AND Id > @after ORDER BY HostId",
            ("@probe", (long)probe.Id), ("@from", slice.Start), ("@to", slice.End), ("@after", afterId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var start = reader.GetInt64(1);
            if ((only is not null && !Inside(only, start)) || (except is not null && Inside(except, start))
                || (merged is not null && merged.Holds(reader.GetInt64(0), start, reader.GetInt64(3))))
            {
                continue;
            }

            var visitor = new Forward(sink, reader.GetInt64(0), bucket(start));
            SnapshotPayload.Decode(Blob(reader, 2), ref visitor);
        }
    }

    /// <summary>
    /// The packed raw snapshots in <paramref name="slice"/> (only those inside <paramref name="only"/>): every one of them is
    /// rolled up, so a read of the snapshots not rolled up yet never needs them.
    /// </summary>
    private async Task ReadBlocksAsync(
        string? hosts, Probe probe, Slice slice, IReadOnlyList<Slice>? only, ScanSink sink, Func<long, long> bucket, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"SELECT HostId, Payload FROM RawBlocks WHERE Probe = @probe{HostsIn(hosts)} AND BlockStartUnixMs > @from AND BlockStartUnixMs < @to AND LastStartUnixMs >= @start",
            ("@probe", (long)probe.Id), ("@from", slice.Start - RawPacking.BlockMs), ("@to", slice.End), ("@start", slice.Start));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var blocks = _blocks ??= new RawBlockCodec();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var hostId = reader.GetInt64(0);
            blocks.Decode(Blob(reader, 1));
            for (var s = 0; s < blocks.Count; s++)
            {
                var start = blocks.StartOf(s);
                if (start >= slice.Start && start < slice.End && (only is null || Inside(only, start)))
                {
                    var visitor = new Forward(sink, hostId, bucket(start));
                    blocks.Visit(s, ref visitor);
                }
            }
        }
    }

    /// <summary>
    /// A blob column read into a buffer kept for this reader: a week-long query reads thousands of blobs, and an
    /// array for each (what <c>GetValue</c> returns) was most of its allocations. Valid until the next call.
    /// </summary>
    private ReadOnlySpan<byte> Blob(DbDataReader reader, int ordinal)
    {
        var length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        if (_blob.Length < length)
        {
            _blob = new byte[Math.Max(length, _blob.Length * 2)];
        }

        return _blob.AsSpan(0, (int)reader.GetBytes(ordinal, 0, _blob, 0, length));
    }

    /// <summary>
    /// The buckets a read found merged past the rollup mark: a pass under way (committed in chunks, the mark moved after the
    /// last) has put the snapshots up to <c>MergedToSnapshotId</c> into them, so those are not added again from raw.
    /// Empty, and free, whenever no pass is under way.
    /// </summary>
    private sealed class MergedPastMark(long mark, TierPlan plan)
    {
        private readonly Dictionary<(Tier Tier, long Host, long Start), long> _mergedTo = [];

        /// <summary>Notes a bucket read; returns whether it was merged past the mark.</summary>
        public bool Saw(Tier tier, long hostId, long bucketStart, long mergedTo)
        {
            if (mergedTo > mark)
            {
                _mergedTo[(tier, hostId, bucketStart)] = mergedTo;
            }

            return mergedTo > mark;
        }

        /// <summary>Whether the snapshot <paramref name="id"/> of <paramref name="hostId"/> starting at <paramref name="start"/> is in a bucket read.</summary>
        public bool Holds(long hostId, long start, long id)
        {
            if (_mergedTo.Count == 0)
            {
                return false;
            }

            foreach (var (tier, slices) in plan.Rollups)
            {
                if (Inside(slices, start))
                {
                    return _mergedTo.TryGetValue((tier, hostId, tier.BucketStart(start)), out var mergedTo) && id <= mergedTo;
                }
            }

            return false;
        }
    }

    private static bool Inside(IReadOnlyList<Slice> slices, long t)
    {
        int lo = 0, hi = slices.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (t < slices[mid].Start)
            {
                hi = mid - 1;
            }
            else if (t >= slices[mid].End)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private readonly struct Forward(ScanSink sink, long hostId, long bucket) : IRowVisitor
    {
        private readonly IReadOnlySet<long>? _keys = sink.KeyFilter;

        public void Row(long keyId, long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes)
        {
            if (_keys is null || _keys.Contains(keyId))
            {
                sink.Add(hostId, bucket, keyId, count, sums, mins, maxes);
            }
        }

        public void Totals(long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes) =>
            sink.AddSnapshots(hostId, bucket, count, sums, mins, maxes);
    }
}
