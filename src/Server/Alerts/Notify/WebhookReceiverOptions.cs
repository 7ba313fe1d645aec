namespace Tracefleet.Server.Alerts.Notify;

/// <summary>One entry of <c>Alerts:Webhooks</c>: a URL that receives Alertmanager's webhook payload (version 4).</summary>
public sealed class WebhookReceiverOptions
{
    /// <summary>Sent as the payload's <c>receiver</c> and shown in the delivery log; unique among the webhooks.</summary>
    public string Name { get; set; } = "";

    /// <summary>Absolute http or https URL the payload is POSTed to.</summary>
    public string Url { get; set; } = "";

    /// <summary>
    /// When set, each POST carries <c>X-Tracefleet-Signature: sha256=HEX</c>, the HMAC-SHA256 of the body under this
    /// secret (<see cref="WebhookSignature"/>), so the receiver can tell the server's posts from anyone else's.
    /// </summary>
    public string? Secret { get; set; }
}
