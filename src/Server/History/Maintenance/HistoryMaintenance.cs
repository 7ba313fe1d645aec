using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Engines;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.History.Maintenance;

/// <summary>
/// The background service behind tiered history: every <c>MaintenanceIntervalSeconds</c> it rolls new
/// snapshots up into minutes, builds closed hours and days from them (<see cref="Folding"/>), packs closed blocks of rolled-up
/// raw snapshots (<see cref="RawPacking"/>), keeps the engine's time partitions if it has them (made ahead, expired ones
/// dropped: <see cref="Partitions.IHistoryPartitions"/>), applies retention, then the size cap. It reads on its own connection
/// (WAL lets it read while the writer commits) and hands every write to the writer in small jobs, so ingest never blocks on it.
/// </summary>
public sealed partial class HistoryMaintenance(
    IServiceScopeFactory scopes,
    WriterJobs writes,
    StoreSize size,
    IStoreEngine engine,
    IOptions<HistoryOptions> options,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    ILogger<HistoryMaintenance> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.MaintenanceIntervalSeconds);
        var resendWindow = TimeSpan.FromSeconds(limits.Value.MaxSnapshotAgeSeconds + (long)limits.Value.MaxClockSkewSeconds);
        if (options.Value.RawRetention < resendWindow)
        {
            LogRawKeptLonger(logger, options.Value.RawRetention, resendWindow);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(logger, e);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: roll up until caught up, settle the minutes past, fold closed hours and days, pack closed raw blocks, then retention, then the size cap; then measures the store.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var o = options.Value;
        while (await RollUpOnceAsync(connection, o.RollupBatchSnapshots, o.RollupChunkBuckets, cancellationToken).ConfigureAwait(false) > 0)
        {
            // Caught up when a pass finds nothing new.
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await Rollups.SettleAsync(writes, now, cancellationToken).ConfigureAwait(false);
        try
        {
            await Folding.FoldAsync(connection, writes, now, o.RollupChunkBuckets, cancellationToken).ConfigureAwait(false);
        }
        catch (RollupRaceException)
        {
            // Another server sharing the database rolled up meanwhile; the next pass folds from what it left.
        }

        await PackAsync(connection, now, o.RollupBatchSnapshots, cancellationToken).ConfigureAwait(false);
        var cutoffs = Cutoffs(o, limits.Value, now);
        // Whole partitions first (PostgreSQL): the row deletes then have only the DEFAULT partitions and the cutoffs' own partitions left.
        if (engine.Partitions is { } partitions)
        {
            await partitions.MaintainAsync(connection, writes, now, cutoffs, cancellationToken).ConfigureAwait(false);
        }

        await Retention.ApplyAsync(writes, cutoffs.Raw, cutoffs.Minute, cutoffs.Hour, o.DeleteBatchRows, cancellationToken).ConfigureAwait(false);
        await SizeCap.EnforceAsync(engine, connection, writes, o.MaxDatabaseMb * 1024 * 1024, now, o.DeleteBatchRows, cancellationToken).ConfigureAwait(false);
        await size.MeasureAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RollUpOnceAsync(DbConnection connection, int batch, int chunkBuckets, CancellationToken cancellationToken)
    {
        try
        {
            return await Rollups.RollUpOnceAsync(connection, writes, batch, chunkBuckets, cancellationToken).ConfigureAwait(false);
        }
        catch (RollupRaceException)
        {
            // Another server sharing the database took this batch; go on from where it left the mark.
            return 1;
        }
    }

    private async Task PackAsync(DbConnection connection, long now, int batch, CancellationToken cancellationToken)
    {
        using var codec = new RawBlockCodec();
        try
        {
            await RawPacking.PackAsync(connection, writes, codec, now, batch, cancellationToken).ConfigureAwait(false);
        }
        catch (RawPackRaceException)
        {
            // Another server sharing the database packed a block first; the next pass goes on from what it left.
        }
    }

    /// <summary>
    /// Raw seconds stay at least as long as ingest accepts a snapshot: a resend is recognised by its
    /// stored row, and one deleted too early would be stored again (and counted twice in the rollups).
    /// </summary>
    public static (long Raw, long Minute, long Hour) Cutoffs(HistoryOptions history, LimitsOptions limits, long nowMs)
    {
        var resendWindowMs = (limits.MaxSnapshotAgeSeconds + (long)limits.MaxClockSkewSeconds) * 1000;
        var rawMs = Math.Max((long)history.RawRetention.TotalMilliseconds, resendWindowMs);
        return (nowMs - rawMs, nowMs - (long)history.MinuteRetention.TotalMilliseconds, nowMs - (long)history.HourRetention.TotalMilliseconds);
    }

    // Information, not a warning: with the default settings this is always so, and nothing needs doing.
    [LoggerMessage(Level = LogLevel.Information, Message = "History:RawRetention is {Retention}, but raw snapshots are kept {Kept}: as long as ingest accepts a resend "
        + "(Limits:MaxSnapshotAgeSeconds + MaxClockSkewSeconds), so that a resend is recognised and not counted twice")]
    private static partial void LogRawKeptLonger(ILogger logger, TimeSpan retention, TimeSpan kept);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A history maintenance pass failed; the next pass tries again")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
