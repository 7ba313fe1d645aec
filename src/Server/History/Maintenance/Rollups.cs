using System.Data.Common;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Queries;
using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Maintenance;

/// <summary>
/// Rolls snapshots up into minute buckets, in snapshot id order, and into hour and day buckets already built from closed
/// minutes and hours (<see cref="Folding"/> builds the others when they close, so a pass rewrites the few minutes it touched, not the hour and
/// day blobs that grow all day with the keys a host has seen). The reading and merging happen here, off
/// the writer; the writer gets the finished blobs in chunks of at most <c>chunkBuckets</c> buckets, one small job each,
/// so ingest's batches run between them instead of waiting for a whole pass.
/// <para>
/// A pass covers the snapshots (mark, last]. Every chunk records <c>last</c> as the pass under way
/// (<see cref="HistoryStateRecord.RollupPassToSnapshotId"/>) and each of its buckets as merged up to <c>last</c>
/// (<see cref="RollupRecord.MergedToSnapshotId"/>); the mark moves to <c>last</c> after the last chunk. A pass cut short
/// (a crash, a failed write) is finished over the same snapshots, and a bucket already merged up to <c>last</c> is not
/// merged again, so each snapshot is counted once. Readers see the same thing: a raw snapshot above the mark whose bucket
/// is merged past it is not added again (<see cref="Queries.HistoryReader"/>). Two servers sharing a database may run the
/// same pass; a bucket's blob for one pass is the same whoever computes it, and a write never replaces a later pass's.
/// </para>
/// Late snapshots (a spooled backlog) have higher ids and are merged into their old buckets on a later pass. Each bucket
/// keeps its snapshots' totals too (<see cref="SnapshotTotals"/>), the host's peak second over all keys.
/// </summary>
public static class Rollups
{
    /// <summary>Buckets committed per writer job by default: a job takes a few milliseconds, about as long as an ingest batch.</summary>
    public const int DefaultChunkBuckets = 256;

    /// <summary>
    /// Rolls up the next batch of at most <paramref name="maxSnapshots"/> snapshots (or finishes a pass cut short);
    /// returns how many snapshots (0: caught up). Throws <see cref="RollupRaceException"/> when another server finished
    /// this pass first (its buckets hold the snapshots once; go on from the mark it left).
    /// </summary>
    public static async Task<int> RollUpOnceAsync(
        DbConnection connection, IHistoryWrites writes, int maxSnapshots, int chunkBuckets, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBuckets, 1);
        var (mark, underWay, folded) = await StateAsync(connection, cancellationToken).ConfigureAwait(false);
        var resumed = underWay > mark;
        var buckets = new Dictionary<BucketId, (Dictionary<long, KeyStats> Keys, SnapshotTotals Totals)>();
        var (last, count) = await ReadPassAsync(connection, mark, resumed ? underWay : null, maxSnapshots, folded, buckets, cancellationToken).ConfigureAwait(false);
        if (resumed)
        {
            // The pass cut short ends where it was going to, even if retention took some of its snapshots meanwhile.
            last = underWay;
        }
        else if (count == 0)
        {
            return 0;
        }

        var blobs = await MergeStoredAsync(connection, buckets, last, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in blobs.Chunk(chunkBuckets))
        {
            await writes.RunAsync((c, transaction, ct) => WriteChunkAsync(c, transaction, chunk, mark, last, folded, ct), cancellationToken).ConfigureAwait(false);
        }

        await writes.RunAsync(async (c, transaction, ct) =>
        {
            await using var move = Sql.Command(
                c, transaction, "UPDATE HistoryState SET RolledUpToSnapshotId = @last, RollupPassToSnapshotId = 0 WHERE Id = 1 AND RolledUpToSnapshotId = @mark", "@last", "@mark");
            Sql.Set(move, ("@last", last), ("@mark", mark));
            return await move.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1 ? 1 : throw new RollupRaceException(mark);
        }, cancellationToken).ConfigureAwait(false);
        return (int)Math.Max(count, 1);
    }

    /// <summary>
    /// Marks the minute buckets that ended a minute or more before <paramref name="nowUnixMs"/> as settled
    /// (<see cref="HistoryStateRecord.SettledBeforeUnixMs"/>; it never moves back): agents send each second as it ends, so from
    /// then on only a late snapshot changes one, and the chunk that merges it moves <see cref="HistoryStateRecord.SettledRevision"/>.
    /// </summary>
    public static Task<int> SettleAsync(IHistoryWrites writes, long nowUnixMs, CancellationToken cancellationToken) =>
        writes.RunAsync(async (connection, transaction, ct) =>
        {
            await using var settle = Sql.Command(
                connection, transaction, "UPDATE HistoryState SET SettledBeforeUnixMs = @settled WHERE Id = 1 AND SettledBeforeUnixMs < @settled", "@settled");
            Sql.Set(settle, ("@settled", Tier.Minute.BucketStart(nowUnixMs) - Tiers.Tiers.MinuteMs));
            return await settle.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The rollup state: the mark, the pass under way (0: none), and how far hours and days are built.</summary>
    internal static async Task<(long Mark, long UnderWay, FoldedBefore Folded)> StateAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(
            connection, null, "SELECT RolledUpToSnapshotId, RollupPassToSnapshotId, HoursFoldedBeforeUnixMs, DaysFoldedBeforeUnixMs FROM HistoryState WHERE Id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1), new FoldedBefore(reader.GetInt64(2), reader.GetInt64(3)));
    }

    /// <summary>
    /// The tiers a snapshot starting at <paramref name="start"/> is merged into: its minute, and its hour and day once those are
    /// built from closed minutes and hours (a late snapshot); until then folding builds them from the minutes it lands in.
    /// </summary>
    private static IEnumerable<Tier> TiersOf(long start, FoldedBefore folded)
    {
        yield return Tier.Minute;
        if (Tier.Hour.BucketStart(start) + Tiers.Tiers.HourMs <= folded.Hours)
        {
            yield return Tier.Hour;
        }

        if (Tier.Day.BucketStart(start) + Tiers.Tiers.DayMs <= folded.Days)
        {
            yield return Tier.Day;
        }
    }

    /// <summary>Merges the pass's snapshots into <paramref name="buckets"/>: the next <paramref name="limit"/> above the mark, or all up to <paramref name="upTo"/>.</summary>
    private static async Task<(long Last, long Count)> ReadPassAsync(
        DbConnection connection, long mark, long? upTo, int limit, FoldedBefore folded, Dictionary<BucketId, (Dictionary<long, KeyStats>, SnapshotTotals)> buckets,
        CancellationToken cancellationToken)
    {
        long last = mark, count = 0;
        await using var command = upTo is null
            ? Sql.Command(connection, null, "SELECT Id, HostId, Probe, StartUnixMs, Payload FROM Snapshots WHERE Id > @mark ORDER BY Id LIMIT @limit", "@mark", "@limit")
            : Sql.Command(connection, null, "SELECT Id, HostId, Probe, StartUnixMs, Payload FROM Snapshots WHERE Id > @mark AND Id <= @limit ORDER BY Id", "@mark", "@limit");
        Sql.Set(command, ("@mark", mark), ("@limit", upTo ?? limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            last = reader.GetInt64(0);
            count++;
            var payload = (byte[])reader.GetValue(4);
            foreach (var tier in TiersOf(reader.GetInt64(3), folded))
            {
                var (keys, totals) = Bucket(buckets, new BucketId(tier, reader.GetInt64(1), Probe.FromStored(reader.GetInt64(2)), tier.BucketStart(reader.GetInt64(3))));
                var merge = new RollupPayload.MergeInto(keys, totals);
                SnapshotPayload.Decode(payload, ref merge);
            }
        }

        return (last, count);
    }

    /// <summary>
    /// Folds in what earlier passes stored for the same buckets and packs each; a bucket already merged up to
    /// <paramref name="last"/> (this pass, committed before it was cut short, or a later one) is left as it is.
    /// </summary>
    private static async Task<List<(BucketId Bucket, byte[] Payload)>> MergeStoredAsync(
        DbConnection connection, Dictionary<BucketId, (Dictionary<long, KeyStats> Keys, SnapshotTotals Totals)> buckets, long last, CancellationToken cancellationToken)
    {
        var packer = new PackedWriter();
        var blobs = new List<(BucketId, byte[])>(buckets.Count);
        await using var existing = Sql.Command(
            connection, null, "SELECT Payload, MergedToSnapshotId FROM Rollups WHERE Tier = @t AND HostId = @h AND Probe = @p AND BucketStartUnixMs = @s", "@t", "@h", "@p", "@s");
        foreach (var (bucket, (keys, totals)) in buckets)
        {
            Sql.Set(existing, ("@t", (long)bucket.Tier), ("@h", bucket.Host), ("@p", (long)bucket.Probe.Id), ("@s", bucket.Start));
            await using (var reader = await existing.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.GetInt64(1) >= last)
                    {
                        continue;
                    }

                    var merge = new RollupPayload.MergeInto(keys, totals);
                    if (!RollupPayload.Decode((byte[])reader.GetValue(0), ref merge))
                    {
                        // Written before buckets kept totals: the new snapshots' totals alone would understate its peak and overstate its low.
                        totals.MarkUnknown();
                    }
                }
            }

            blobs.Add((bucket, RollupPayload.Encode(packer, keys, bucket.Probe.ValueCount, totals)));
        }

        return blobs;
    }

    /// <summary>One chunk: the pass marked as under way (refused if another server has moved the mark), then its buckets, each only over an earlier pass's.</summary>
    private static async Task<int> WriteChunkAsync(
        DbConnection connection, DbTransaction transaction, (BucketId Bucket, byte[] Payload)[] chunk, long mark, long last, FoldedBefore folded,
        CancellationToken cancellationToken)
    {
        // Refused too when hours or days were built since the pass chose its tiers (another server folded them).
        await using var underWay = Sql.Command(
            connection, transaction,
            """
            UPDATE HistoryState SET RollupPassToSnapshotId = @last WHERE Id = 1 AND RolledUpToSnapshotId = @mark AND RollupPassToSnapshotId IN (0, @last)
              AND HoursFoldedBeforeUnixMs = @hours AND DaysFoldedBeforeUnixMs = @days
            """,
            "@last", "@mark", "@hours", "@days");
        Sql.Set(underWay, ("@last", last), ("@mark", mark), ("@hours", folded.Hours), ("@days", folded.Days));
        if (await underWay.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            // Another server sharing the database rolled these snapshots up first; rolling back keeps them counted once.
            throw new RollupRaceException(mark);
        }

        // A chunk that changes a settled bucket (a late snapshot's minute, or any built hour or day: a pass writes those only
        // for late snapshots) moves the revision in the same transaction, so no query goes on using what it kept of the old one.
        var earliestEnd = chunk.Min(c => c.Bucket.Tier == Tier.Minute ? c.Bucket.Start + Tiers.Tiers.MinuteMs : long.MinValue);
        await using (var settled = Sql.Command(
            connection, transaction, "UPDATE HistoryState SET SettledRevision = SettledRevision + 1 WHERE Id = 1 AND SettledBeforeUnixMs >= @end", "@end"))
        {
            Sql.Set(settled, ("@end", earliestEnd));
            await settled.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var upsert = Sql.Command(connection, transaction,
            """
            INSERT INTO Rollups (Tier, HostId, Probe, BucketStartUnixMs, Payload, MergedToSnapshotId) VALUES (@t, @h, @p, @s, @b, @m)
            ON CONFLICT (Tier, HostId, Probe, BucketStartUnixMs) DO UPDATE SET Payload = excluded.Payload, MergedToSnapshotId = excluded.MergedToSnapshotId
            WHERE Rollups.MergedToSnapshotId < excluded.MergedToSnapshotId
            """,
            "@t", "@h", "@p", "@s", "@b", "@m");
        foreach (var (bucket, payload) in chunk)
        {
            Sql.Set(upsert, ("@t", (long)bucket.Tier), ("@h", bucket.Host), ("@p", (long)bucket.Probe.Id), ("@s", bucket.Start), ("@b", payload), ("@m", last));
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return chunk.Length;
    }

    private static (Dictionary<long, KeyStats> Keys, SnapshotTotals Totals) Bucket(
        Dictionary<BucketId, (Dictionary<long, KeyStats>, SnapshotTotals)> buckets, BucketId key)
    {
        if (!buckets.TryGetValue(key, out var bucket))
        {
            buckets[key] = bucket = ([], new SnapshotTotals());
        }

        return bucket;
    }

    private readonly record struct BucketId(Tier Tier, long Host, Probe Probe, long Start);
}
