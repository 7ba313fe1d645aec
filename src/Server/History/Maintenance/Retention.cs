using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Maintenance;

/// <summary>
/// Deletions by age and by size, each in chunks of at most <c>batch</c> rows per writer job so ingest
/// waits for one chunk at most. Raw snapshots go only once rolled up, so no sum is ever lost with them.
/// </summary>
public static class Retention
{
    /// <summary>
    /// Deletes raw snapshots (rows and packed blocks) that started before <paramref name="rawCutoff"/> and rollup buckets that ended
    /// by their tier's cutoff (days: the hour cutoff). Returns the rows deleted.
    /// </summary>
    public static async Task<long> ApplyAsync(IHistoryWrites writes, long rawCutoff, long minuteCutoff, long hourCutoff, int batch, CancellationToken cancellationToken)
    {
        var deleted = await RepeatAsync(writes, RawOlderThan(rawCutoff, batch), batch, cancellationToken).ConfigureAwait(false);
        deleted += await RepeatAsync(writes, BlocksOlderThan(rawCutoff, batch), batch, cancellationToken).ConfigureAwait(false);
        deleted += await RepeatAsync(writes, RollupsEndedBy(Tier.Minute, minuteCutoff, batch), batch, cancellationToken).ConfigureAwait(false);
        deleted += await RepeatAsync(writes, RollupsEndedBy(Tier.Hour, hourCutoff, batch), batch, cancellationToken).ConfigureAwait(false);
        // Days are kept as long as hours: they are the same history, cut coarser for long ranges.
        deleted += await RepeatAsync(writes, RollupsEndedBy(Tier.Day, hourCutoff, batch), batch, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>The oldest rolled-up raw snapshots started before the cutoff, at most <paramref name="batch"/>.</summary>
    public static string RawOlderThan(long cutoff, int batch) =>
        $"""
        DELETE FROM Snapshots WHERE Id IN (
          SELECT Id FROM Snapshots
          WHERE StartUnixMs < {cutoff} AND Id <= (SELECT RolledUpToSnapshotId FROM HistoryState WHERE Id = 1)
          ORDER BY StartUnixMs LIMIT {batch})
        """;

    /// <summary>
    /// The oldest packed blocks whose every snapshot started before the cutoff, at most <paramref name="batch"/>: whole blocks
    /// (<see cref="RawPacking.BlockMs"/>), so a block the cutoff falls in stays until it has passed its end.
    /// </summary>
    public static string BlocksOlderThan(long cutoff, int batch) =>
        $"""
        DELETE FROM RawBlocks WHERE Id IN (
          SELECT Id FROM RawBlocks WHERE BlockStartUnixMs <= {Math.Min(cutoff, long.MaxValue - RawPacking.BlockMs) - RawPacking.BlockMs}
          ORDER BY BlockStartUnixMs LIMIT {batch})
        """;

    /// <summary>The oldest buckets of a tier that ended by the cutoff, at most <paramref name="batch"/>.</summary>
    public static string RollupsEndedBy(Tier tier, long cutoff, int batch) =>
        $"""
        DELETE FROM Rollups WHERE Id IN (
          SELECT Id FROM Rollups WHERE Tier = {(int)tier} AND BucketStartUnixMs <= {cutoff - tier.BucketMs()}
          ORDER BY BucketStartUnixMs LIMIT {batch})
        """;

    public static Task<int> ExecuteAsync(IHistoryWrites writes, string sql, CancellationToken cancellationToken) =>
        writes.RunAsync((connection, transaction, ct) => Sql.ExecuteAsync(connection, transaction, sql, ct), cancellationToken);

    private static async Task<long> RepeatAsync(IHistoryWrites writes, string sql, int batch, CancellationToken cancellationToken)
    {
        long total = 0;
        int deleted;
        do
        {
            deleted = await ExecuteAsync(writes, sql, cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted >= batch);

        return total;
    }
}
