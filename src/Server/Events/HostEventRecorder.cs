using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Alerts;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Events;

/// <summary>
/// Stores the queued host events (<see cref="HostEvents"/>) in batches, one transaction each; a store that fails loses
/// that batch (logged with its size), never the next. Every hour, deletes the events older than <c>Alerts:HistoryDays</c>
/// (the same span as alert history, which they explain beside).
/// </summary>
public sealed partial class HostEventRecorder(
    HostEvents events, IServiceScopeFactory scopes, IOptions<AlertOptions> options, TimeProvider time, ILogger<HostEventRecorder> logger)
    : BackgroundService
{
    private const int MaxBatch = 1000;
    private static readonly TimeSpan TrimEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<HostEventRecord>(MaxBatch);
        var nextTrim = time.GetUtcNow() + TimeSpan.FromMinutes(1);
        try
        {
            while (true)
            {
                // Woken by an event or, at the latest, when the next trim is due.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(TimeSpan.FromMinutes(1));
                try
                {
                    if (!await events.Queue.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }

                batch.Clear();
                while (batch.Count < MaxBatch && events.Queue.TryRead(out var record))
                {
                    batch.Add(record);
                }

                if (batch.Count > 0)
                {
                    await StoreAsync(batch, stoppingToken).ConfigureAwait(false);
                }

                if (time.GetUtcNow() >= nextTrim)
                {
                    nextTrim = time.GetUtcNow() + TrimEvery;
                    await TrimAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task StoreAsync(List<HostEventRecord> batch, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
            db.HostEvents.AddRange(batch);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogStoreFailed(logger, batch.Count, e.Message);
        }
    }

    private async Task TrimAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
            var before = (time.GetUtcNow() - TimeSpan.FromDays(options.Value.HistoryDays)).ToUnixTimeMilliseconds();
            var removed = await db.HostEvents.Where(e => e.AtUnixMs < before).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            if (removed > 0)
            {
                LogTrimmed(logger, removed, options.Value.HistoryDays);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            LogTrimFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} host events: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} host events older than {Days} days")]
    private static partial void LogTrimmed(ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not trim host events: {Reason}")]
    private static partial void LogTrimFailed(ILogger logger, string reason);
}
