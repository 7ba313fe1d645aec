using System.Data.Common;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Queries;
using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Maintenance;

/// <summary>
/// Builds hour buckets from closed minutes and day buckets from closed hours, once each: an hour is folded when it ended
/// <see cref="GraceMs"/> ago, a day when all its hours are. Until then queries read the finer tier for it, and a rollup
/// pass merges snapshots into minutes only; after, a late snapshot is merged into its minute, hour and day alike (see
/// <see cref="Rollups"/>). How far each tier is built is one watermark (<see cref="HistoryStateRecord.HoursFoldedBeforeUnixMs"/>,
/// <see cref="HistoryStateRecord.DaysFoldedBeforeUnixMs"/>), moved in the writer job after a slot's last chunk of buckets.
/// A fold replaces the bucket outright, so one cut short is simply done again; it runs only between rollup passes (none
/// under way, the mark unchanged since it read the minutes), checked again in every job it hands the writer.
/// </summary>
public static class Folding
{
    /// <summary>How long after its end an hour is folded: the snapshots of its last seconds are usually rolled up by then.</summary>
    public const long GraceMs = 2 * 60_000;

    /// <summary>
    /// Folds every closed hour, then every day whose hours are all folded; returns the buckets written. Throws
    /// <see cref="RollupRaceException"/> when a rollup pass moved the mark meanwhile (another server): the next pass folds again.
    /// </summary>
    public static async Task<int> FoldAsync(DbConnection connection, IHistoryWrites writes, long nowUnixMs, int chunkBuckets, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBuckets, 1);
        var written = 0;
        while (await FoldNextAsync(connection, writes, Tier.Hour, Tier.Hour.BucketStart(nowUnixMs - GraceMs), chunkBuckets, cancellationToken).ConfigureAwait(false) is { } hours)
        {
            written += hours;
        }

        var (_, _, folded) = await Rollups.StateAsync(connection, cancellationToken).ConfigureAwait(false);
        while (await FoldNextAsync(connection, writes, Tier.Day, Tier.Day.BucketStart(folded.Hours), chunkBuckets, cancellationToken).ConfigureAwait(false) is { } days)
        {
            written += days;
        }

        return written;
    }

    /// <summary>Folds the next slot of <paramref name="tier"/> ending by <paramref name="closedBefore"/>; null when there is none.</summary>
    private static async Task<int?> FoldNextAsync(
        DbConnection connection, IHistoryWrites writes, Tier tier, long closedBefore, int chunkBuckets, CancellationToken cancellationToken)
    {
        var (mark, underWay, folded) = await Rollups.StateAsync(connection, cancellationToken).ConfigureAwait(false);
        if (underWay != 0)
        {
            // A pass is under way (or was cut short): it finishes first, with the tiers it chose.
            return null;
        }

        var finer = tier == Tier.Day ? Tier.Hour : Tier.Minute;
        var before = tier == Tier.Day ? folded.Days : folded.Hours;
        // The next slot holding any finer bucket; the slots between hold nothing and count as built.
        var next = await Sql.ScalarAsync(
            connection, null, $"SELECT COALESCE(MIN(BucketStartUnixMs), {long.MaxValue}) FROM Rollups WHERE Tier = {(int)finer} AND BucketStartUnixMs >= {before}",
            cancellationToken).ConfigureAwait(false);
        var slot = next == long.MaxValue ? long.MaxValue : tier.BucketStart(next);
        var state = new FoldState(mark, folded, tier);
        if (slot > closedBefore - tier.BucketMs())
        {
            // Nothing closed to fold: the closed slots up to the next data, empty, count as built (so a day whose last hours
            // hold nothing closes); a late snapshot in one is merged into its minute, hour and day directly.
            var empty = Math.Min(closedBefore, slot);
            return empty > before ? await WriteAsync(writes, state, empty, [], moveTo: empty, cancellationToken).ConfigureAwait(false) : null;
        }

        var chunk = new List<(long Host, Probe Probe, byte[] Payload)>(chunkBuckets);
        var written = 0;
        foreach (var (hostId, probe) in await PairsAsync(connection, finer, slot, slot + tier.BucketMs(), cancellationToken).ConfigureAwait(false))
        {
            chunk.Add((hostId, probe, await FoldedAsync(connection, finer, hostId, probe, slot, slot + tier.BucketMs(), cancellationToken).ConfigureAwait(false)));
            if (chunk.Count == chunkBuckets)
            {
                written += await WriteAsync(writes, state, slot, [.. chunk], moveTo: null, cancellationToken).ConfigureAwait(false);
                chunk.Clear();
            }
        }

        return written + await WriteAsync(writes, state, slot, [.. chunk], moveTo: slot + tier.BucketMs(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<(long HostId, Probe Probe)>> PairsAsync(DbConnection connection, Tier finer, long from, long to, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(
            connection, null, "SELECT DISTINCT HostId, Probe FROM Rollups WHERE Tier = @tier AND BucketStartUnixMs >= @from AND BucketStartUnixMs < @to", "@tier", "@from", "@to");
        Sql.Set(command, ("@tier", (long)finer), ("@from", from), ("@to", to));
        var pairs = new List<(long, Probe)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pairs.Add((reader.GetInt64(0), Probe.FromStored(reader.GetInt64(1))));
        }

        return pairs;
    }

    /// <summary>One host's probe's finer buckets in [from, to), merged into one blob.</summary>
    private static async Task<byte[]> FoldedAsync(DbConnection connection, Tier finer, long hostId, Probe probe, long from, long to, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(
            connection, null,
            "SELECT Payload FROM Rollups WHERE Tier = @tier AND HostId = @host AND Probe = @probe AND BucketStartUnixMs >= @from AND BucketStartUnixMs < @to",
            "@tier", "@host", "@probe", "@from", "@to");
        Sql.Set(command, ("@tier", (long)finer), ("@host", hostId), ("@probe", (long)probe.Id), ("@from", from), ("@to", to));
        var keys = new Dictionary<long, KeyStats>();
        var totals = new SnapshotTotals();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var merge = new RollupPayload.MergeInto(keys, totals);
            if (!RollupPayload.Decode((byte[])reader.GetValue(0), ref merge))
            {
                // A finer bucket written before buckets kept totals: the sum of the others' would understate the peak.
                totals.MarkUnknown();
            }
        }

        return RollupPayload.Encode(new PackedWriter(), keys, probe.ValueCount, totals);
    }

    /// <summary>Writes a chunk of folded buckets (and moves the watermark after the slot's last), if nothing moved since they were read.</summary>
    private static Task<int> WriteAsync(
        IHistoryWrites writes, FoldState state, long slot, (long Host, Probe Probe, byte[] Payload)[] chunk, long? moveTo, CancellationToken cancellationToken) =>
        writes.RunAsync(async (connection, transaction, ct) =>
        {
            var watermark = state.Tier == Tier.Day ? "DaysFoldedBeforeUnixMs" : "HoursFoldedBeforeUnixMs";
            await using var check = Sql.Command(connection, transaction,
                $"""
                UPDATE HistoryState SET {watermark} = @to
                WHERE Id = 1 AND RolledUpToSnapshotId = @mark AND RollupPassToSnapshotId = 0
                  AND HoursFoldedBeforeUnixMs = @hours AND DaysFoldedBeforeUnixMs = @days
                """,
                "@to", "@mark", "@hours", "@days");
            Sql.Set(check, ("@to", moveTo ?? (state.Tier == Tier.Day ? state.Folded.Days : state.Folded.Hours)), ("@mark", state.Mark),
                ("@hours", state.Folded.Hours), ("@days", state.Folded.Days));
            if (await check.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
            {
                throw new RollupRaceException(state.Mark);
            }

            await using var upsert = Sql.Command(connection, transaction,
                """
                INSERT INTO Rollups (Tier, HostId, Probe, BucketStartUnixMs, Payload, MergedToSnapshotId) VALUES (@t, @h, @p, @s, @b, @m)
                ON CONFLICT (Tier, HostId, Probe, BucketStartUnixMs) DO UPDATE SET Payload = excluded.Payload, MergedToSnapshotId = excluded.MergedToSnapshotId
                """,
                "@t", "@h", "@p", "@s", "@b", "@m");
            foreach (var (host, probe, payload) in chunk)
            {
                Sql.Set(upsert, ("@t", (long)state.Tier), ("@h", host), ("@p", (long)probe.Id), ("@s", slot), ("@b", payload), ("@m", state.Mark));
                await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return chunk.Length;
        }, cancellationToken);

    private sealed record FoldState(long Mark, FoldedBefore Folded, Tier Tier);
}
