using System.Data.Common;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Maintenance;

/// <summary>
/// Rolls snapshots up into minute and hour buckets, in snapshot id order. The reading and merging happen
/// here, off the writer; the writer only upserts the finished blobs and moves the progress mark, in one
/// transaction, so a bucket and the mark never disagree. Late snapshots (a spooled backlog) simply have
/// higher ids and are merged into their old buckets on a later pass. Each bucket keeps its snapshots' totals too
/// (<see cref="SnapshotTotals"/>), the host's peak second over all keys.
/// </summary>
public static class Rollups
{
    /// <summary>Rolls up the next batch of snapshots; returns how many (0: caught up).</summary>
    public static async Task<int> RollUpOnceAsync(DbConnection connection, IHistoryWrites writes, int maxSnapshots, CancellationToken cancellationToken)
    {
        var mark = await Sql.ScalarAsync(connection, null, "SELECT RolledUpToSnapshotId FROM HistoryState WHERE Id = 1", cancellationToken).ConfigureAwait(false);
        var buckets = new Dictionary<(Tier Tier, long Host, Probe Probe, long Start), (Dictionary<long, KeyStats> Keys, SnapshotTotals Totals)>();
        long last = mark, count = 0;
        await using (var command = Sql.Command(
            connection, null, "SELECT Id, HostId, Probe, StartUnixMs, Payload FROM Snapshots WHERE Id > @mark ORDER BY Id LIMIT @limit", "@mark", "@limit"))
        {
            Sql.Set(command, ("@mark", mark), ("@limit", (long)maxSnapshots));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                last = reader.GetInt64(0);
                count++;
                var payload = (byte[])reader.GetValue(4);
                foreach (var tier in Tiers.Tiers.CoarsestFirst)
                {
                    var (keys, totals) = Bucket(buckets, (tier, reader.GetInt64(1), Probe.FromStored(reader.GetInt64(2)), tier.BucketStart(reader.GetInt64(3))));
                    var merge = new RollupPayload.MergeInto(keys, totals);
                    SnapshotPayload.Decode(payload, ref merge);
                }
            }
        }

        if (count == 0)
        {
            return 0;
        }

        // Statistics merge: fold in what earlier passes stored for the same buckets.
        var packer = new PackedWriter();
        var blobs = new List<((Tier Tier, long Host, Probe Probe, long Start) Bucket, byte[] Payload)>(buckets.Count);
        await using (var existing = Sql.Command(
            connection, null, "SELECT Payload FROM Rollups WHERE Tier = @t AND HostId = @h AND Probe = @p AND BucketStartUnixMs = @s", "@t", "@h", "@p", "@s"))
        {
            foreach (var (bucket, (keys, totals)) in buckets)
            {
                Sql.Set(existing, ("@t", (long)bucket.Tier), ("@h", bucket.Host), ("@p", (long)bucket.Probe.Id), ("@s", bucket.Start));
                if (await existing.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] stored)
                {
                    var merge = new RollupPayload.MergeInto(keys, totals);
                    if (!RollupPayload.Decode(stored, ref merge))
                    {
                        // Written before buckets kept totals: the new snapshots' totals alone would understate its peak and overstate its low.
                        totals.MarkUnknown();
                    }
                }

                blobs.Add((bucket, RollupPayload.Encode(packer, keys, bucket.Probe.ValueCount, totals)));
            }
        }

        await writes.RunAsync(async (c, transaction, ct) =>
        {
            await using var upsert = Sql.Command(c, transaction,
                """
                INSERT INTO Rollups (Tier, HostId, Probe, BucketStartUnixMs, Payload) VALUES (@t, @h, @p, @s, @b)
                ON CONFLICT (Tier, HostId, Probe, BucketStartUnixMs) DO UPDATE SET Payload = excluded.Payload
                """,
                "@t", "@h", "@p", "@s", "@b");
            foreach (var (bucket, payload) in blobs)
            {
                Sql.Set(upsert, ("@t", (long)bucket.Tier), ("@h", bucket.Host), ("@p", (long)bucket.Probe.Id), ("@s", bucket.Start), ("@b", payload));
                await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await using var move = Sql.Command(
                c, transaction, "UPDATE HistoryState SET RolledUpToSnapshotId = @last WHERE Id = 1 AND RolledUpToSnapshotId = @mark", "@last", "@mark");
            Sql.Set(move, ("@last", last), ("@mark", mark));
            var moved = await move.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            if (moved != 1)
            {
                // Another server sharing the database rolled these snapshots up first; rolling back keeps them counted once.
                throw new RollupRaceException(mark);
            }

            return blobs.Count;
        }, cancellationToken).ConfigureAwait(false);
        return (int)count;
    }

    private static (Dictionary<long, KeyStats> Keys, SnapshotTotals Totals) Bucket(
        Dictionary<(Tier, long, Probe, long), (Dictionary<long, KeyStats>, SnapshotTotals)> buckets, (Tier, long, Probe, long) key)
    {
        if (!buckets.TryGetValue(key, out var bucket))
        {
            buckets[key] = bucket = ([], new SnapshotTotals());
        }

        return bucket;
    }
}
