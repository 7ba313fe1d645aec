namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// Configuration section <c>Alerts</c>, the part about delivering notices: where they go (webhooks, an Alertmanager) and
/// how many may wait. Checked at start by <see cref="AlertNotifyOptionsValidator"/>.
/// </summary>
public sealed class AlertNotifyOptions
{
    public const string Section = "Alerts";

    /// <summary>Receivers of Alertmanager's webhook payload (version 4), each POSTed every notice on its own queue.</summary>
    public List<WebhookReceiverOptions> Webhooks { get; set; } = [];

    /// <summary>An Alertmanager to post alerts to (its <c>/api/v2/alerts</c>); none when its <c>Url</c> is unset.</summary>
    public AlertmanagerOptions Alertmanager { get; set; } = new();

    /// <summary>
    /// Notices waiting for delivery, at most, in the queue the evaluator writes to and again in each receiver's own queue
    /// (and alerts Alertmanager is reminded of), from 1 to 1000000. Past it new notices are dropped and counted, never waited for.
    /// </summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// This server's own address as people reach it (<c>https://tracefleet.example.com</c>): sent as <c>externalURL</c>,
    /// and each alert's <c>generatorURL</c> links to its host's page under it. Empty in both when unset.
    /// </summary>
    public string? ExternalUrl { get; set; }
}
