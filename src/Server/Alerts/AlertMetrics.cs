using Tracefleet.Server.Alerts.Evaluation;
using Tracefleet.Server.Metrics;

namespace Tracefleet.Server.Alerts;

/// <summary>
/// Evaluation's series on <c>GET /metrics</c>, read from <see cref="LiveAlerts"/> just before each scrape: alerts by
/// state and severity (a bounded set: two states, the rules' severities), rules, tracked series and what was not
/// evaluated or stored, and the host events (which explain alerts beside them on charts) not stored. Alertmanager keeps the
/// alerts themselves; these say whether evaluation keeps up.
/// </summary>
public sealed class AlertMetrics
{
    public AlertMetrics(ServerMetrics metrics, LiveAlerts alerts, Events.HostEvents events)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(events);
        var factory = Prometheus.Metrics.WithCustomRegistry(metrics.Registry);
        var active = factory.CreateGauge("tracefleet_alerts", "Alerts pending or firing now, by state and severity.", "state", "severity");
        var rules = factory.CreateGauge("tracefleet_alert_rules", "Alert rules evaluated.");
        var series = factory.CreateGauge("tracefleet_alert_series", "(rule, host, key) series tracked by evaluation (bounded by Alerts:MaxSeries).");
        var untracked = factory.CreateCounter("tracefleet_alert_series_untracked_total", "Keys not evaluated because Alerts:MaxSeries series were tracked.");
        var held = factory.CreateGauge("tracefleet_alert_snapshots_held", "Snapshots waiting for earlier ones before evaluation (a backlog being put in time order).");
        var stragglers = factory.CreateCounter("tracefleet_alert_snapshots_out_of_order_total", "Snapshots not evaluated: they arrived after later ones of their host and probe were evaluated.");
        var dropped = factory.CreateCounter("tracefleet_alert_records_dropped_total", "Alert transitions and states not stored: the recorder's queue (Alerts:RecordQueueCapacity) was full.");
        var coalesced = factory.CreateCounter("tracefleet_host_events_coalesced_total", "Host events not stored: a later one of the same host and subject came in the same second, past its allowance.");
        var eventsDropped = factory.CreateCounter("tracefleet_host_events_dropped_total", "Host events not stored: the recorder's queue was full.");
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            var now = alerts.Active();
            foreach (var state in new[] { AlertState.Pending, AlertState.Firing })
            {
                foreach (var severity in now.Select(a => a.Severity).Concat(alerts.Rules.Select(r => r.Severity)).Distinct())
                {
                    active.WithLabels(AlertEvent.NameOf(state), severity).Set(now.Count(a => a.State == state && a.Severity == severity));
                }
            }

            rules.Set(alerts.Rules.Count);
            var (tracked, notTracked) = alerts.Series;
            series.Set(tracked);
            untracked.IncTo(notTracked);
            var (waiting, late) = alerts.Ordering;
            held.Set(waiting);
            stragglers.IncTo(late);
            dropped.IncTo(alerts.DroppedRecords);
            coalesced.IncTo(events.Coalesced);
            eventsDropped.IncTo(events.Dropped);
        });
    }
}
