using System.Diagnostics;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// Drains the notifier's queue into every receiver's own queue (never waiting for one), runs each receiver's delivery
/// loop and Alertmanager's resends, and writes dropped notices to the log once per burst: when the queue has been
/// drained, or at most once a minute while it never is.
/// </summary>
public sealed partial class AlertDispatcher(AlertNotifier notifier, AlertReceivers receivers, TimeProvider time, ILogger<AlertDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan DropReportInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = receivers.Lanes.Select(lane => Task.Run(() => lane.RunAsync(stoppingToken), CancellationToken.None)).ToList();
        if (receivers.Alertmanager is { } alertmanager)
        {
            loops.Add(Task.Run(() => ResendAsync(alertmanager, stoppingToken), CancellationToken.None));
        }

        try
        {
            var reported = Stopwatch.StartNew();
            while (await notifier.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (notifier.Reader.TryRead(out var notice))
                {
                    Offer(notice);
                    if (reported.Elapsed >= DropReportInterval)
                    {
                        ReportDrops();
                        reported.Restart();
                    }
                }

                ReportDrops();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    /// <summary>To every receiver; one that cannot take it (a notice it cannot serialize) is logged and the others still get it.</summary>
    private void Offer(AlertNotice notice)
    {
        foreach (var webhook in notice.Repeat ? [] : receivers.Webhooks)
        {
            try
            {
                webhook.Offer(notice);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogOfferFailed(logger, notice.Fingerprint, webhook.Name, e);
            }
        }

        try
        {
            receivers.Alertmanager?.Offer(notice);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogOfferFailed(logger, notice.Fingerprint, AlertmanagerReceiver.Name, e);
        }
    }

    private async Task ResendAsync(AlertmanagerReceiver alertmanager, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(alertmanager.ResendInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                alertmanager.OfferResend();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: Alertmanager resolves the firing alerts by itself once their endsAt passes.
        }
    }

    private void ReportDrops()
    {
        if (notifier.TakeUnreportedDrops() is > 0 and var dropped)
        {
            LogDropped(logger, dropped, notifier.Capacity, notifier.Dropped);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} alert notices dropped: the notification queue of {Capacity} was full (Alerts:QueueCapacity); {Total} dropped since start")]
    private static partial void LogDropped(ILogger logger, long count, int capacity, long total);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert notice {Fingerprint} could not be queued for {Receiver}; the other receivers still get it")]
    private static partial void LogOfferFailed(ILogger logger, string fingerprint, string receiver, Exception exception);
}
