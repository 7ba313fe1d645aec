namespace Tracefleet.Server.Alerts.Notify;

/// <summary><c>Alerts:Alertmanager</c>: an Alertmanager the server posts alerts to, as Prometheus does.</summary>
public sealed class AlertmanagerOptions
{
    /// <summary>Alertmanager's base URL (<c>http://alertmanager:9093</c>); alerts go to <c>{Url}/api/v2/alerts</c>. Unset: none.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// How often firing alerts are sent again while they fire. Each says it ends 4 intervals after it is sent, so if the
    /// server stops, Alertmanager resolves its alerts by itself. 1 second to 1 hour.
    /// </summary>
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromMinutes(1);
}
