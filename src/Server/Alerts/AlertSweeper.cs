using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History;

namespace Tracefleet.Server.Alerts;

/// <summary>
/// The clock's part of alerting: four times a second, snapshots that waited for earlier ones are evaluated
/// (<see cref="LiveAlerts.Release"/>); every second, host silence and <c>no_data</c> (<see cref="LiveAlerts.Sweep"/>); every
/// hour, alert history and the host events beside it (<see cref="Events.HostEvents"/>) older than <c>Alerts:HistoryDays</c>,
/// and silences ended a day ago, are deleted.
/// </summary>
public sealed partial class AlertSweeper(
    LiveAlerts alerts, Silences silences, IServiceScopeFactory scopes, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertSweeper> logger)
    : BackgroundService
{
    private static readonly TimeSpan TrimEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
        var nextTrim = time.GetUtcNow() + TimeSpan.FromMinutes(1);
        var nextSweep = time.GetUtcNow();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                alerts.Release();
                if (time.GetUtcNow() >= nextSweep)
                {
                    nextSweep = time.GetUtcNow() + TimeSpan.FromSeconds(1);
                    alerts.Sweep();
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

    private async Task TrimAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
            var before = (now - TimeSpan.FromDays(options.Value.HistoryDays)).ToUnixTimeMilliseconds();
            var removed = await db.AlertTransitions.Where(t => t.AtUnixMs < before).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            var events = await db.HostEvents.Where(e => e.AtUnixMs < before).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            await silences.TrimAsync((now - TimeSpan.FromDays(1)).ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            if (removed + events > 0)
            {
                LogTrimmed(logger, removed, events, options.Value.HistoryDays);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            LogTrimFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} alert transitions and {Events} host events older than {Days} days")]
    private static partial void LogTrimmed(ILogger logger, int count, int events, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not trim alert history: {Reason}")]
    private static partial void LogTrimFailed(ILogger logger, string reason);
}
