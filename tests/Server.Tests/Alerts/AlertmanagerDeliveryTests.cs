using System.Text.Json;
using Tracefleet.Server.Alerts.Notify;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>
/// Notices to Debian's real Alertmanager through the notifier (Alerts:Alertmanager:Url): a firing alert is listed with
/// its labels and annotations, and once resolved it is no longer listed as active.
/// </summary>
public sealed class AlertmanagerDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Notify_FiringThenResolved_AlertmanagerListsItActiveThenNot()
    {
        await using var alertmanager = await AlertmanagerServer.StartAsync(Patience).WaitAsync(Patience + Patience);
        var options = new AlertNotifyOptions
        {
            ExternalUrl = "http://tracefleet.example.com",
            Alertmanager = new AlertmanagerOptions { Url = alertmanager.Url.ToString(), ResendInterval = TimeSpan.FromMinutes(1) },
        };
        await using var running = await RunningNotifier.StartAsync(options, DeliveryPolicy.Default);
        var host = $"web-{Guid.NewGuid():N}";
        var firing = Notices.Firing(host: host) with { StartsAt = DateTimeOffset.UtcNow.AddMinutes(-1) };

        running.Notifier.Notify(firing);

        var listed = await ActiveAsync(alertmanager, host, a => a.Count == 1);
        var alert = Assert.Single(listed);
        var labels = alert.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(
            [("alertname", "FaultStorm"), ("host", host), ("key", "/usr/lib/libc.so.6"), ("probe", "pagefaults"), ("severity", "critical"), ("team", "storage")],
            labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => (l.Key, l.Value)));
        Assert.Equal(firing.Annotations["summary"], alert.GetProperty("annotations").GetProperty("summary").GetString());
        Assert.Equal(firing.Annotations["runbook"], alert.GetProperty("annotations").GetProperty("runbook").GetString());
        Assert.Equal($"http://tracefleet.example.com/host/{host}?probe=pagefaults", alert.GetProperty("generatorURL").GetString());
        var endsAt = alert.GetProperty("endsAt").GetDateTimeOffset();
        Assert.True(endsAt > DateTimeOffset.UtcNow.AddMinutes(3), $"a firing alert should end about 4 resend intervals from now, not {endsAt:O}\n{alertmanager.Output}");

        running.Notifier.Notify(Notices.Resolved(firing, DateTimeOffset.UtcNow));

        var after = await ActiveAsync(alertmanager, host, a => a.Count == 0);
        Assert.True(after.Count == 0, $"still active after resolved: {string.Join(", ", after)}\n{alertmanager.Output}");
        // Alertmanager may list the resolution before the notifier has logged its answer.
        var outcomes = await Poll.UntilAsync(
            () => Task.FromResult(running.Log.Entries().Where(e => e.Fingerprint == firing.Fingerprint).Select(e => e.Outcome).ToList()),
            o => o.Count == 2,
            Patience);
        Assert.Equal([DeliveryOutcome.Delivered, DeliveryOutcome.Delivered], outcomes);
    }

    /// <summary>The alerts of <paramref name="host"/> Alertmanager lists as active, polled until <paramref name="done"/>.</summary>
    private static Task<List<JsonElement>> ActiveAsync(AlertmanagerServer alertmanager, string host, Func<List<JsonElement>, bool> done) =>
        Poll.UntilAsync(
            async () => (await alertmanager.AlertsAsync())
                .Where(a => a.GetProperty("labels").TryGetProperty("host", out var h) && h.GetString() == host
                    && a.GetProperty("status").GetProperty("state").GetString() == "active")
                .ToList(),
            done,
            Patience);
}
