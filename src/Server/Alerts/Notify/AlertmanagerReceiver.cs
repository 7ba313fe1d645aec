using System.Text.Json;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// <c>Alerts:Alertmanager</c>, spoken to as Prometheus does (Alertmanager's client protocol): each notice is posted to
/// <c>{Url}/api/v2/alerts</c> at once, and every firing alert again each <see cref="AlertmanagerOptions.ResendInterval"/>
/// (<see cref="OfferResend"/>), saying it ends 4 intervals after it is sent; if the server stops sending, Alertmanager
/// resolves it by itself then. A resolved alert is posted once, with its own <c>endsAt</c>.
/// </summary>
public sealed class AlertmanagerReceiver
{
    /// <summary>This receiver's name in the delivery log and on <c>/metrics</c>; no webhook may take it.</summary>
    public const string Name = "alertmanager";

    /// <summary>Alerts in one resend POST, at most (as Prometheus batches them).</summary>
    public const int MaxAlertsPerPost = 64;

    private readonly Uri _url;
    private readonly string? _externalUrl;
    private readonly TimeProvider _time;
    // Keeps each notice's post and a resend's snapshot in the order the notices came: a resend taken before a resolved
    // notice is queued before it, never after (which would make Alertmanager fire the resolved alert again).
    private readonly Lock _order = new();
    private int _resendsQueued;

    public AlertmanagerReceiver(AlertmanagerOptions options, string? externalUrl, int capacity, ReceiverLane lane, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _url = new Uri(options.Url!.TrimEnd('/') + "/api/v2/alerts", UriKind.Absolute);
        ResendInterval = options.ResendInterval;
        _externalUrl = externalUrl;
        _time = time;
        Lane = lane;
        Firing = new FiringAlerts(capacity);
    }

    public ReceiverLane Lane { get; }

    /// <summary>What the next resend sends.</summary>
    public FiringAlerts Firing { get; }

    public TimeSpan ResendInterval { get; }

    /// <summary>Follows <paramref name="notice"/> in the firing set and queues its POST, without waiting.</summary>
    public void Offer(AlertNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        lock (_order)
        {
            Firing.Apply(notice);
            Lane.Offer(Post(notice.Fingerprint, WebhookPayload.StatusOf(notice.Phase), [notice], null));
        }
    }

    /// <summary>
    /// Queues every firing alert again, in POSTs of up to <see cref="MaxAlertsPerPost"/>; nothing while the previous
    /// resend is still queued (a slow Alertmanager gets one round at a time). The number of POSTs queued.
    /// </summary>
    public int OfferResend()
    {
        lock (_order)
        {
            if (Volatile.Read(ref _resendsQueued) > 0)
            {
                return 0;
            }

            var posts = 0;
            foreach (var chunk in Firing.Snapshot().Chunk(MaxAlertsPerPost))
            {
                Interlocked.Increment(ref _resendsQueued);
                Lane.Offer(Post(null, "firing", chunk, () => Interlocked.Decrement(ref _resendsQueued)));
                posts++;
            }

            return posts;
        }
    }

    /// <summary>
    /// <paramref name="notice"/> as Alertmanager takes it when sent at <paramref name="now"/>: a firing alert ends
    /// 4 resend intervals later unless sent again; a resolved one ends when it resolved.
    /// </summary>
    public PostableAlert ToPostable(AlertNotice notice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notice);
        // A resolution never ends in the future: Alertmanager takes an end still to come as "firing", and keeps the later
        // end the last resend gave it (an agent's clock a second ahead did that), so the alert stayed active until then.
        var endsAt = notice.Phase == AlertPhase.Resolved ? Min(notice.EndsAt ?? now, now) : now + (4 * ResendInterval);
        return new PostableAlert(
            notice.Labels, notice.Annotations, AlertTimes.Format(notice.StartsAt), AlertTimes.Format(endsAt), GeneratorUrls.For(_externalUrl, notice.Labels));
    }

    private LanePost Post(string? fingerprint, string status, AlertNotice[] alerts, Action? done) =>
        new(fingerprint, status, alerts.Length, () =>
        {
            var now = _time.GetUtcNow();
            return JsonPosts.Create(_url, JsonSerializer.SerializeToUtf8Bytes(alerts.Select(a => ToPostable(a, now)).ToList()));
        }, done);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
