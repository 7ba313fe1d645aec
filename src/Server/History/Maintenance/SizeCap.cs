using System.Data.Common;
using Tracefleet.Server.History.Engines;
using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Maintenance;

/// <summary>
/// Keeps the database file under <c>History:MaxDatabaseMb</c>. Trimming starts when the pages in use pass
/// 90 % of the cap (room for the ingest between two passes) and goes down to 80 %, dropping resolution
/// before history: raw seconds (packed, then rows) older than an hour, then minute buckets older than a day, then the oldest
/// hour and day buckets, then any rolled-up raw seconds and minutes. Freed pages go back to the file system
/// (incremental auto-vacuum) so the file itself shrinks.
/// </summary>
public static class SizeCap
{
    public const double HighWater = 0.9;
    public const double LowWater = 0.8;

    /// <summary>
    /// Trims until the engine's data bytes (<see cref="IStoreEngine.DataBytesAsync"/>) are under the low-water mark or nothing
    /// is left to trim; returns rows deleted.
    /// </summary>
    public static async Task<long> EnforceAsync(IStoreEngine engine, DbConnection connection, IHistoryWrites writes, long capBytes, long nowMs, int batch, CancellationToken cancellationToken)
    {
        if (capBytes <= 0 || await engine.DataBytesAsync(connection, cancellationToken).ConfigureAwait(false) <= capBytes * HighWater)
        {
            await VacuumAsync(engine, writes, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        string[] steps =
        [
            Retention.BlocksOlderThan(nowMs - Tiers.Tiers.HourMs, batch),
            Retention.RawOlderThan(nowMs - Tiers.Tiers.HourMs, batch),
            Retention.RollupsEndedBy(Tier.Minute, nowMs - (24 * Tiers.Tiers.HourMs), batch),
            Retention.RollupsEndedBy(Tier.Hour, long.MaxValue, batch),
            Retention.RollupsEndedBy(Tier.Day, long.MaxValue, batch),
            Retention.BlocksOlderThan(long.MaxValue, batch),
            Retention.RawOlderThan(long.MaxValue, batch),
            Retention.RollupsEndedBy(Tier.Minute, long.MaxValue, batch),
        ];
        long deleted = 0;
        while (await engine.DataBytesAsync(connection, cancellationToken).ConfigureAwait(false) > capBytes * LowWater)
        {
            var step = 0;
            var removed = 0;
            while (step < steps.Length && (removed = await Retention.ExecuteAsync(writes, steps[step], cancellationToken).ConfigureAwait(false)) == 0)
            {
                step++;
            }

            if (removed == 0)
            {
                break;
            }

            deleted += removed;
        }

        await VacuumAsync(engine, writes, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private static Task VacuumAsync(IStoreEngine engine, IHistoryWrites writes, CancellationToken cancellationToken) =>
        engine.ReclaimSpaceSql is { } sql ? Retention.ExecuteAsync(writes, sql, cancellationToken) : Task.CompletedTask;
}
