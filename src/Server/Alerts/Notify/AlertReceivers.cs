using System.Net;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// Every receiver configured in <c>Alerts</c>, each with its own queue (<see cref="ReceiverLane"/>), and the one HTTP
/// client they share. Redirects are not followed: a receiver that moved is a configuration to fix, and a signed body
/// should not be replayed to another address.
/// </summary>
public sealed class AlertReceivers : IDisposable
{
    private readonly HttpClient _http;

    public AlertReceivers(IOptions<AlertNotifyOptions> options, DeliveryLog log, TimeProvider time, ILoggerFactory loggers)
        : this(options.Value, log, time, loggers,
            new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = DeliveryPolicy.Default.AttemptTimeout },
            DeliveryPolicy.Default)
    {
    }

    /// <summary>Over <paramref name="handler"/> (owned and disposed), retrying as <paramref name="policy"/> says.</summary>
    public AlertReceivers(
        AlertNotifyOptions options, DeliveryLog log, TimeProvider time, ILoggerFactory loggers, HttpMessageHandler handler, DeliveryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, DefaultRequestVersion = HttpVersion.Version11 };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("tracefleet-server");
        var logger = loggers.CreateLogger<ReceiverLane>();
        ReceiverLane Lane(string name) => new(name, options.QueueCapacity, _http, policy, log, time, logger);
        Webhooks = [.. options.Webhooks.Select(w => new WebhookReceiver(w, options.ExternalUrl, Lane(w.Name)))];
        if (!string.IsNullOrWhiteSpace(options.Alertmanager.Url))
        {
            Alertmanager = new AlertmanagerReceiver(options.Alertmanager, options.ExternalUrl, options.QueueCapacity, Lane(AlertmanagerReceiver.Name), time);
        }
    }

    public IReadOnlyList<WebhookReceiver> Webhooks { get; }

    public AlertmanagerReceiver? Alertmanager { get; }

    public IEnumerable<ReceiverLane> Lanes => Webhooks.Select(w => w.Lane).Concat(Alertmanager is { } a ? [a.Lane] : []);

    public void Dispose() => _http.Dispose();
}
