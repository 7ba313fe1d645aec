using Tracefleet.Server.Metrics;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// The notification series on <c>GET /metrics</c>, in the server's registry, read from the notifier, the delivery log and
/// the firing set just before each scrape. Labels are the configured receivers and the four outcomes: a bounded set.
/// </summary>
public sealed class AlertNotifyMetrics
{
    public AlertNotifyMetrics(ServerMetrics metrics, AlertNotifier notifier, AlertReceivers receivers, DeliveryLog log)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var factory = Prometheus.Metrics.WithCustomRegistry(metrics.Registry);
        var dropped = factory.CreateCounter(
            "tracefleet_alert_notices_dropped_total", "Alert notices dropped before any receiver saw them: the notification queue (Alerts:QueueCapacity) was full.");
        var queued = factory.CreateGauge("tracefleet_alert_notices_queued", "Alert notices waiting in the notification queue.");
        var deliveries = factory.CreateCounter(
            "tracefleet_alert_deliveries_total",
            "Delivery attempts by receiver and outcome: delivered, retrying (an attempt failed, another follows), failed (given up), dropped (the receiver's own queue was full).",
            "receiver", "outcome");
        var untracked = factory.CreateCounter(
            "tracefleet_alert_firing_untracked_total", "Firing alerts posted to Alertmanager once but not resent: Alerts:QueueCapacity alerts were already firing.");
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            dropped.IncTo(notifier.Dropped);
            queued.Set(notifier.Count);
            foreach (var (receiver, outcome, count) in log.Totals())
            {
                deliveries.WithLabels(receiver, DeliveryOutcomes.NameOf(outcome)).IncTo(count);
            }

            untracked.IncTo(receivers.Alertmanager?.Firing.Dropped ?? 0);
        });
    }
}
