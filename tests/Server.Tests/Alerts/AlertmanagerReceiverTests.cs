using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tracefleet.Server.Alerts.Notify;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>
/// What Alertmanager is sent, as Prometheus sends it: a firing alert ends 4 resend intervals after it is sent and is
/// resent while it fires; a resolved one is sent once with its own end and is not resent.
/// </summary>
public sealed class AlertmanagerReceiverTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 6, 5, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Offer_Firing_PostedToApiV2AlertsEndingFourIntervalsAfterItIsSent()
    {
        using var handler = new ScriptedHandler();
        var time = new FakeTimeProvider(Now.AddSeconds(7));
        var receiver = Receiver(handler, TimeSpan.FromSeconds(30), time);
        var notice = Notices.Firing();
        using var stop = new CancellationTokenSource();
        var run = receiver.Lane.RunAsync(stop.Token);

        receiver.Offer(notice);

        var (url, body) = Assert.Single(await handler.NextAsync(1, Patience));
        await stop.CancelAsync().WaitAsync(Patience);
        await run.WaitAsync(Patience);
        Assert.Equal("http://127.0.0.1:9093/api/v2/alerts", url.ToString());
        using var json = JsonDocument.Parse(body);
        var alert = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(["labels", "annotations", "startsAt", "endsAt"], alert.EnumerateObject().Select(p => p.Name));
        Assert.Equal(notice.Labels, alert.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
        Assert.Equal(notice.Annotations, alert.GetProperty("annotations").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
        Assert.Equal("2026-11-26T06:00:01.25Z", alert.GetProperty("startsAt").GetString());
        Assert.Equal("2026-11-26T06:07:07Z", alert.GetProperty("endsAt").GetString());
    }

    [Fact]
    public async Task OfferResend_AfterOneFiredAndAnotherResolved_OnlyTheFiringOneResent()
    {
        using var handler = new ScriptedHandler();
        var receiver = Receiver(handler, TimeSpan.FromMinutes(1), new FakeTimeProvider(Now));
        receiver.Offer(Notices.Firing("keeps-firing", host: "web-01"));
        receiver.Offer(Notices.Firing("resolves", host: "web-02"));
        receiver.Offer(Notices.Resolved(Notices.Firing("resolves", host: "web-02"), Now));

        Assert.Equal(1, receiver.OfferResend());

        using var stop = new CancellationTokenSource();
        var run = receiver.Lane.RunAsync(stop.Token);
        var sent = await handler.NextAsync(4, Patience);
        await stop.CancelAsync().WaitAsync(Patience);
        await run.WaitAsync(Patience);
        using var resent = JsonDocument.Parse(sent[3].Body);
        Assert.Equal(["web-01"], resent.RootElement.EnumerateArray().Select(a => a.GetProperty("labels").GetProperty("host").GetString()));
        Assert.Equal(1, receiver.Firing.Count);
    }

    [Fact]
    public async Task OfferResend_ManyFiring_PostsOfAtMostSixtyFourAndNoNewRoundWhileOneIsQueued()
    {
        using var handler = new ScriptedHandler();
        var receiver = Receiver(handler, TimeSpan.FromMinutes(1), new FakeTimeProvider(Now));
        for (var i = 0; i < 130; i++)
        {
            receiver.Offer(Notices.Firing($"f{i}", host: $"web-{i}"));
        }

        Assert.Equal(3, receiver.OfferResend());
        Assert.Equal(0, receiver.OfferResend());

        using var stop = new CancellationTokenSource();
        var run = receiver.Lane.RunAsync(stop.Token);
        var resends = (await handler.NextAsync(133, Patience)).Skip(130).Select(r => JsonDocument.Parse(r.Body)).ToList();
        Assert.Equal([64, 64, 2], resends.Select(p => p.RootElement.GetArrayLength()));
        var next = await NextRoundAsync(receiver).WaitAsync(Patience);
        await stop.CancelAsync().WaitAsync(Patience);
        await run.WaitAsync(Patience);
        Assert.Equal(3, next);
        resends.ForEach(r => r.Dispose());
    }

    [Fact]
    public void Apply_FiringPastTheCapacity_NotKeptAndCounted()
    {
        var firing = new FiringAlerts(2);

        List<bool> kept = [firing.Apply(Notices.Firing("a")), firing.Apply(Notices.Firing("b")), firing.Apply(Notices.Firing("c")), firing.Apply(Notices.Firing("a"))];

        Assert.Equal([true, true, false, true], kept);
        Assert.Equal(1, firing.Dropped);
        Assert.Equal(["a", "b"], firing.Snapshot().Select(n => n.Fingerprint).Order());
        Assert.True(firing.Apply(Notices.Resolved(Notices.Firing("a"), Now)));
        Assert.True(firing.Apply(Notices.Firing("c")));
    }

    [Fact]
    public void ToPostable_Resolved_EndsWhenItResolvedWithItsHostsPage()
    {
        using var handler = new ScriptedHandler();
        var time = new FakeTimeProvider(Now);
        var receiver = new AlertmanagerReceiver(
            new AlertmanagerOptions { Url = "http://127.0.0.1:9093" }, "https://tracefleet.example.com", 10, handler.Lane(AlertmanagerReceiver.Name, time: time), time);

        var alert = receiver.ToPostable(Notices.Resolved(Notices.Firing(), Now.AddMinutes(-2)), Now);

        Assert.Equal("2026-11-26T06:03:00Z", alert.EndsAt);
        Assert.Equal("https://tracefleet.example.com/host/web-01?probe=pagefaults", alert.GeneratorUrl);
    }

    [Fact]
    public void ToPostable_ResolvedWithAnEndStillToCome_EndsNow()
    {
        // An agent's clock a second ahead: the data's end is after the send; Alertmanager would take it as still firing.
        using var handler = new ScriptedHandler();
        var time = new FakeTimeProvider(Now);
        var receiver = Receiver(handler, TimeSpan.FromMinutes(1), time);
        var resolved = Notices.Resolved(Notices.Firing(), Now) with { EndsAt = Now.AddSeconds(2) };

        Assert.Equal(AlertTimes.Format(Now), receiver.ToPostable(resolved, Now).EndsAt);
    }

    private static AlertmanagerReceiver Receiver(ScriptedHandler handler, TimeSpan resend, FakeTimeProvider time) =>
        new(new AlertmanagerOptions { Url = "http://127.0.0.1:9093/", ResendInterval = resend }, null, 1000, handler.Lane(AlertmanagerReceiver.Name, 1000, time), time);

    /// <summary>Offers resends until one is queued (the previous round is done): how many POSTs it queued.</summary>
    private static async Task<int> NextRoundAsync(AlertmanagerReceiver receiver)
    {
        int posts;
        while ((posts = receiver.OfferResend()) == 0)
        {
            await Task.Delay(10);
        }

        return posts;
    }
}
