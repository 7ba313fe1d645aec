using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Tracefleet.Server.History.Maintenance;

namespace Tracefleet.Server.History.Partitions;

/// <summary>
/// PostgreSQL's native partitions of the history tables (<see cref="PartitionedTable.All"/>), made by the migration
/// PartitionedHistory with only DEFAULT partitions. A row whose range has no partition lands in the DEFAULT one, so ingest
/// never fails for want of a partition; maintenance keeps partitions ready ahead of time and carves ranges out of the
/// DEFAULT (a partition cannot be created over rows the DEFAULT holds: they are moved into it in the same transaction).
/// Retention drops a whole partition once every row in it may go by the rules of <see cref="Retention"/>; the row deletes
/// still take what is past the cutoff in the DEFAULT partition and in the partition the cutoff falls in.
/// Each change is one writer job, so it holds the one-writer lock and serialises with ingest and with other servers.
/// </summary>
internal sealed partial class PostgresPartitions : IHistoryPartitions
{
    /// <summary>How far past now partitions are made ready: snapshots stamped up to the clock skew ingest accepts ahead, and the next day's first writes.</summary>
    public const long AheadMs = 2 * Tiers.Tiers.DayMs;

    /// <summary>How far back from now empty partitions are made: yesterday's late snapshots (a spooled backlog) land in a partition too.</summary>
    public const long BehindMs = Tiers.Tiers.DayMs;

    /// <summary>Carving looks back at most this far, so a retention of "forever" still names partitions by a date.</summary>
    private const long MaxLookBackMs = 100L * 366 * Tiers.Tiers.DayMs;

    public async Task<PartitionPass> MaintainAsync(
        DbConnection connection, IHistoryWrites writes, long nowUnixMs, (long Raw, long Minute, long Hour) cutoffs, CancellationToken cancellationToken)
    {
        var pass = new PartitionPass();
        foreach (var table in PartitionedTable.All)
        {
            var dropped = await DropExpiredAsync(connection, writes, table, table.Cutoff(cutoffs), cancellationToken).ConfigureAwait(false);
            var (created, carved) = await CreateAsync(connection, writes, table, nowUnixMs, table.Cutoff(cutoffs), cancellationToken).ConfigureAwait(false);
            pass = new PartitionPass(pass.Created + created, pass.RowsCarved + carved, pass.Dropped + dropped);
        }

        return pass;
    }

    /// <summary>
    /// Detaches and drops each partition of <paramref name="table"/> that ends by <paramref name="cutoff"/>: every row in it
    /// started (or, for blocks and buckets, ended) by the cutoff. A partition of raw snapshots holding one not yet rolled up
    /// is kept; rolled up, it goes on a later pass. Returns the partitions dropped.
    /// </summary>
    public static async Task<int> DropExpiredAsync(DbConnection connection, IHistoryWrites writes, PartitionedTable table, long cutoff, CancellationToken cancellationToken)
    {
        var dropped = 0;
        foreach (var partition in await BoundsAsync(connection, table, cancellationToken).ConfigureAwait(false))
        {
            if (partition.End > cutoff)
            {
                continue;
            }

            dropped += await writes.RunAsync(async (c, transaction, ct) =>
            {
                await WaitBrieflyAsync(c, transaction, ct).ConfigureAwait(false);
                // Checked again under the writer's lock: another server may have dropped it, or the writer stored a late row.
                if (!await ExistsAsync(c, transaction, partition.Name, ct).ConfigureAwait(false)
                    || (table.HoldsRawSnapshots && await Sql.ScalarAsync(c, transaction,
                        $"SELECT COUNT(*) FROM (SELECT 1 FROM {partition.Name} WHERE Id > (SELECT RolledUpToSnapshotId FROM HistoryState WHERE Id = 1) LIMIT 1) AS a",
                        ct).ConfigureAwait(false) > 0))
                {
                    return 0;
                }

                await Sql.ExecuteAsync(c, transaction, $"ALTER TABLE {table.Parent} DETACH PARTITION {partition.Name}; DROP TABLE {partition.Name}", ct).ConfigureAwait(false);
                if (table.HoldsRollups)
                {
                    await Sql.ExecuteAsync(c, transaction, "UPDATE HistoryState SET SettledRevision = SettledRevision + 1 WHERE Id = 1", ct).ConfigureAwait(false);
                }

                return 1;
            }, cancellationToken).ConfigureAwait(false);
        }

        return dropped;
    }

    /// <summary>
    /// Makes the partitions of <paramref name="table"/> from the day before <paramref name="nowUnixMs"/> (or the one
    /// <paramref name="cutoff"/> falls in, if later) to <see cref="AheadMs"/> past it, and those of any range from
    /// <paramref name="cutoff"/> to there holding rows in the DEFAULT partition, each with the DEFAULT's rows of its range
    /// moved into it. A range that overlaps a partition already there is left alone; rows past <see cref="AheadMs"/> (a
    /// clock far ahead) wait in the DEFAULT partition until their day's partition is made ahead of time.
    /// Returns the partitions made and the rows moved.
    /// </summary>
    public static async Task<(int Created, long RowsCarved)> CreateAsync(
        DbConnection connection, IHistoryWrites writes, PartitionedTable table, long nowUnixMs, long cutoff, CancellationToken cancellationToken)
    {
        var existing = await BoundsAsync(connection, table, cancellationToken).ConfigureAwait(false);
        var end = table.Start(nowUnixMs + AheadMs) + table.WidthMs;
        var starts = new SortedSet<long>();
        // None that ends by the cutoff: it would be dropped on the next pass and made again on the one after.
        for (var start = table.Start(Math.Max(nowUnixMs - BehindMs, cutoff)); start < end; start += table.WidthMs)
        {
            starts.Add(start);
        }

        var from = table.Start(Math.Max(cutoff, nowUnixMs - MaxLookBackMs));
        while (from < end && await FirstInDefaultAsync(connection, table, from, end, cancellationToken).ConfigureAwait(false) is { } key)
        {
            starts.Add(table.Start(key));
            from = table.Start(key) + table.WidthMs;
        }

        var (created, carved) = (0, 0L);
        foreach (var start in starts.Where(s => !existing.Any(p => p.Start < s + table.WidthMs && s < p.End)))
        {
            var moved = await writes.RunAsync((c, transaction, ct) => CarveAsync(c, transaction, table, start, ct), cancellationToken).ConfigureAwait(false);
            if (moved >= 0)
            {
                created++;
                carved += moved;
            }
        }

        return (created, carved);
    }

    /// <summary>
    /// Creates the partition starting at <paramref name="start"/>: a table like the parent, the DEFAULT's rows of its range moved
    /// into it, then attached; all in the caller's transaction, so the rows are in one place or the other. Returns the rows
    /// moved, or -1 when the partition is there already (another server made it).
    /// </summary>
    private static async Task<int> CarveAsync(DbConnection connection, DbTransaction transaction, PartitionedTable table, long start, CancellationToken cancellationToken)
    {
        var name = table.Name(start);
        if (await ExistsAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false))
        {
            return -1;
        }

        await WaitBrieflyAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var end = start + table.WidthMs;
        // Indexes come with the attach (the parent's, built on the rows already in it); the parent's identity draws every id.
        await Sql.ExecuteAsync(connection, transaction, $"CREATE TABLE {name} (LIKE {table.Parent} INCLUDING DEFAULTS)", cancellationToken).ConfigureAwait(false);
        var moved = await Sql.ExecuteAsync(connection, transaction,
            $"""
            WITH moved AS (DELETE FROM {table.Default} WHERE {table.Column} >= {start} AND {table.Column} < {end} RETURNING *)
            INSERT INTO {name} SELECT * FROM moved
            """,
            cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(connection, transaction,
            $"ALTER TABLE {table.Parent} ATTACH PARTITION {name} FOR VALUES FROM ({start}) TO ({end})", cancellationToken).ConfigureAwait(false);
        return moved;
    }

    /// <summary>The least key at or after <paramref name="from"/> and before <paramref name="to"/> in the DEFAULT partition (through the parent's index on it), or null.</summary>
    private static async Task<long?> FirstInDefaultAsync(DbConnection connection, PartitionedTable table, long from, long to, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, null,
            $"SELECT MIN({table.Column}) FROM {table.Default} WHERE {table.Column} >= @from AND {table.Column} < @to", "@from", "@to");
        Sql.Set(command, ("@from", from), ("@to", to));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long key ? key : null;
    }

    /// <summary>The ranged partitions of <paramref name="table"/> (not its DEFAULT) with their bounds, from the catalog, oldest first.</summary>
    public static async Task<List<PartitionBound>> BoundsAsync(DbConnection connection, PartitionedTable table, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, null,
            """
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = to_regclass(@parent)
            """,
            "@parent");
        Sql.Set(command, ("@parent", table.Parent));
        var bounds = new List<PartitionBound>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // FOR VALUES FROM ('1795651200000') TO ('1795737600000'); the DEFAULT partition says DEFAULT.
            if (Range().Match(reader.GetString(1)) is { Success: true } range)
            {
                bounds.Add(new PartitionBound(
                    reader.GetString(0), long.Parse(range.Groups[1].ValueSpan, CultureInfo.InvariantCulture), long.Parse(range.Groups[2].ValueSpan, CultureInfo.InvariantCulture)));
            }
        }

        return [.. bounds.OrderBy(b => b.Start)];
    }

    /// <summary>
    /// Detaching takes the parent, attaching the DEFAULT partition, for itself: a long query reading it would hold the job, the
    /// writer behind it and every query after. Past <see cref="LockTimeout"/> the job fails instead (SQLSTATE 55P03) and the next pass tries again.
    /// </summary>
    private static Task<int> WaitBrieflyAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(connection, transaction, $"SET LOCAL lock_timeout = '{LockTimeout}'", cancellationToken);

    /// <summary>How long a partition job waits for its table locks.</summary>
    public const string LockTimeout = "5s";

    private static async Task<bool> ExistsAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, transaction, "SELECT to_regclass(@name) IS NOT NULL", "@name");
        Sql.Set(command, ("@name", name));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    [GeneratedRegex(@"^FOR VALUES FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)$")]
    private static partial Regex Range();
}

/// <summary>A ranged partition: its table's name and the keys it holds, [<see cref="Start"/>, <see cref="End"/>) in Unix ms.</summary>
internal readonly record struct PartitionBound(string Name, long Start, long End);
