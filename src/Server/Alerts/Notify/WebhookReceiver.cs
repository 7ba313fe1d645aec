namespace Tracefleet.Server.Alerts.Notify;

/// <summary>A webhook of <c>Alerts:Webhooks</c>: each notice becomes one signed (when it has a secret) version-4 payload.</summary>
public sealed class WebhookReceiver(WebhookReceiverOptions options, string? externalUrl, ReceiverLane lane)
{
    private readonly Uri _url = new(options.Url, UriKind.Absolute);

    public string Name => options.Name;

    public ReceiverLane Lane => lane;

    /// <summary>Queues <paramref name="notice"/> on this webhook's own queue, without waiting.</summary>
    public void Offer(AlertNotice notice) => lane.Offer(PostFor(notice));

    /// <summary>The POST for <paramref name="notice"/>: its body serialized and signed once, sent the same on every attempt.</summary>
    public LanePost PostFor(AlertNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var body = WebhookPayload.From(notice, options.Name, externalUrl).ToUtf8Json();
        var signature = string.IsNullOrEmpty(options.Secret) ? null : WebhookSignature.Sign(options.Secret, body);
        return new LanePost(notice.Fingerprint, WebhookPayload.StatusOf(notice.Phase), 1, () =>
        {
            var request = JsonPosts.Create(_url, body);
            if (signature is not null)
            {
                request.Headers.Add(WebhookSignature.Header, signature);
            }

            return request;
        });
    }
}
