using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Tracefleet.Server.Alerts;
using Tracefleet.Server.Alerts.Notify;
using Tracefleet.Server.InProcess.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.InProcess;

/// <summary>
/// Alert notifications as the server wires them: the <see cref="IAlertNotifier"/> its services hand the evaluator, the
/// delivery service behind it, <c>GET /api/alerts/deliveries</c> and the series on <c>/metrics</c>.
/// </summary>
public sealed class AlertDeliveriesTests(AlertDeliveriesTests.WithAnUnreachableWebhook server) : IClassFixture<AlertDeliveriesTests.WithAnUnreachableWebhook>
{
    /// <summary>A server with one webhook, <c>pager</c>, on a loopback port nobody listens on.</summary>
    public sealed class WithAnUnreachableWebhook : InProcessServer
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Alerts:Webhooks:0:Name", "pager");
            builder.UseSetting("Alerts:Webhooks:0:Url", $"http://127.0.0.1:{LoopbackPort.Next()}/hook");
        }
    }

    [Fact]
    public async Task Notify_WebhookUnreachable_DeliveryLogListsTheFailedAttemptAndMetricsCountIt()
    {
        var notifier = server.Services.GetRequiredService<IAlertNotifier>();
        var fingerprint = Guid.NewGuid().ToString("N");
        notifier.Notify(new AlertNotice(
            fingerprint, AlertPhase.Firing, new Dictionary<string, string> { ["alertname"] = "FaultStorm", ["host"] = "web-01" },
            new Dictionary<string, string>(), 12.5, DateTimeOffset.UtcNow, null));
        using var web = server.Web();

        var log = server.Services.GetRequiredService<DeliveryLog>();
        Assert.True(await Poll.TrueAsync(() => log.Entries().Any(e => e.Fingerprint == fingerprint), InProcessAgent.Patience), "a delivery attempt to the webhook should be logged");

        // Newest first: the first attempt is the last of the notice's entries (a retry may have followed it by now).
        var entry = (await web.GetFromJsonAsync<JsonElement>("/api/alerts/deliveries").WaitAsync(InProcessAgent.Patience)).EnumerateArray()
            .Last(e => e.GetProperty("fingerprint").GetString() == fingerprint);
        Assert.Equal("pager", entry.GetProperty("receiver").GetString());
        Assert.Equal("firing", entry.GetProperty("status").GetString());
        Assert.Equal(1, entry.GetProperty("attempt").GetInt32());
        Assert.Equal(1, entry.GetProperty("alerts").GetInt32());
        Assert.Equal("retrying", entry.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("httpStatus").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("error").GetString()));
        Assert.True(entry.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        var metrics = await web.GetStringAsync("/metrics").WaitAsync(InProcessAgent.Patience);
        Assert.Contains("tracefleet_alert_deliveries_total{receiver=\"pager\",outcome=\"retrying\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("tracefleet_alert_notices_dropped_total 0", metrics, StringComparison.Ordinal);
    }
}
