using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Events;

/// <summary>
/// Stores the queued host events (<see cref="HostEvents"/>) in batches, one transaction each; a store that fails loses
/// that batch (logged with its size), never the next. Every second, queues the events held past a second's allowance
/// (<see cref="HostEvents.QueueDue"/>). Old events are deleted with alert history (<see cref="Alerts.AlertSweeper"/>).
/// </summary>
public sealed partial class HostEventRecorder(HostEvents events, IServiceScopeFactory scopes, ILogger<HostEventRecorder> logger)
    : BackgroundService
{
    private const int MaxBatch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<HostEventRecord>(MaxBatch);
        try
        {
            while (true)
            {
                // Woken by an event or, at the latest, a second on, when held events may be due.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(TimeSpan.FromSeconds(1));
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

                events.QueueDue();
                batch.Clear();
                while (batch.Count < MaxBatch && events.Queue.TryRead(out var record))
                {
                    batch.Add(record);
                }

                if (batch.Count > 0)
                {
                    await StoreAsync(batch, stoppingToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} host events: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, int count, string reason);
}
