using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Alerts.Notify;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>
/// Notices from the evaluator's call to a real HTTP receiver on loopback (Kestrel), through the notifier's queue, the
/// dispatcher and the receiver's own queue: signed bodies that verify, a retry after a 503, and a dead receiver that holds
/// up nobody else.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly DeliveryPolicy Policy = new(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));

    [Fact]
    public async Task Notify_ReceiverAnswers503First_RetriedAndTheSignedBodyVerifies()
    {
        await using var receiver = await LoopbackWebhook.StartAsync(503);
        var options = new AlertNotifyOptions { Webhooks = [new() { Name = "pager", Url = receiver.Url.ToString(), Secret = "hook-secret" }] };
        await using var running = await RunningNotifier.StartAsync(options, Policy);

        running.Notifier.Notify(Notices.Firing());

        var posts = await receiver.NextAsync(2, Patience);
        Assert.Equal([503, 200], posts.Select(p => p.Answered));
        Assert.Equal(posts[0].Body, posts[1].Body);
        var (_, body, signature) = posts[1];
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("hook-secret"));
        Assert.Equal("sha256=" + Convert.ToHexString(hmac.ComputeHash(body)).ToLowerInvariant(), signature);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("4", json.RootElement.GetProperty("version").GetString());
        Assert.Equal("pager", json.RootElement.GetProperty("receiver").GetString());
        Assert.Equal("a1b2c3", json.RootElement.GetProperty("alerts")[0].GetProperty("fingerprint").GetString());
        var log = await Poll.UntilAsync(() => Task.FromResult(running.Log.Entries()), e => e.Count >= 2, Patience);
        Assert.Equal(
            [(1, DeliveryOutcome.Retrying, (int?)503), (2, DeliveryOutcome.Delivered, 200)],
            log.Select(e => (e.Attempt, e.Outcome, e.HttpStatus)));
    }

    [Fact]
    public async Task Notify_OneReceiverDeadTheOtherUp_TheOtherGetsEveryNoticeAtOnce()
    {
        await using var alive = await LoopbackWebhook.StartAsync();
        // Nothing listens on a port just released: every attempt fails, and the lane keeps retrying.
        var dead = new Uri($"http://127.0.0.1:{LoopbackPort.Next()}/hook");
        var options = new AlertNotifyOptions
        {
            Webhooks = [new() { Name = "dead", Url = dead.ToString() }, new() { Name = "alive", Url = alive.Url.ToString() }],
        };
        // Ten seconds an attempt: a loaded machine must not time the live receiver out (the dead one is refused at once).
        await using var running = await RunningNotifier.StartAsync(options, new DeliveryPolicy(5, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)));

        for (var i = 0; i < 5; i++)
        {
            running.Notifier.Notify(Notices.Firing($"f{i}"));
        }

        var posts = await alive.NextAsync(5, Patience);
        Assert.Equal(
            ["f0", "f1", "f2", "f3", "f4"],
            posts.Select(p => FingerprintOf(p.Body)));
        var entries = await Poll.UntilAsync(
            () => Task.FromResult(running.Log.Entries()), e => e.Count(d => d.Receiver == "alive") >= 5 && e.Any(d => d.Receiver == "dead"), Patience);
        Assert.Equal(
            [("f0", DeliveryOutcome.Delivered), ("f1", DeliveryOutcome.Delivered), ("f2", DeliveryOutcome.Delivered), ("f3", DeliveryOutcome.Delivered), ("f4", DeliveryOutcome.Delivered)],
            entries.Where(e => e.Receiver == "alive").Select(e => (e.Fingerprint, e.Outcome)));
        Assert.Contains(entries, e => e.Receiver == "dead");
        // The dead receiver's first notice is still being retried, so nothing after it has been attempted.
        Assert.All(entries.Where(e => e.Receiver == "dead"), e => Assert.Equal(("f0", DeliveryOutcome.Retrying), (e.Fingerprint, e.Outcome)));
    }

    private static string? FingerprintOf(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("alerts")[0].GetProperty("fingerprint").GetString();
    }
}

/// <summary>The notifier, its receivers and the dispatcher as the server runs them, over real HTTP, stopped on dispose.</summary>
internal sealed class RunningNotifier : IAsyncDisposable
{
    private readonly AlertReceivers _receivers;
    private readonly AlertDispatcher _dispatcher;

    private RunningNotifier(AlertNotifier notifier, AlertReceivers receivers, AlertDispatcher dispatcher, DeliveryLog log) =>
        (Notifier, _receivers, _dispatcher, Log) = (notifier, receivers, dispatcher, log);

    public AlertNotifier Notifier { get; }

    public DeliveryLog Log { get; }

    public static async Task<RunningNotifier> StartAsync(AlertNotifyOptions options, DeliveryPolicy policy)
    {
        Assert.True(new AlertNotifyOptionsValidator().Validate(null, options).Succeeded);
        var log = new DeliveryLog();
        var notifier = new AlertNotifier(Options.Create(options));
        var receivers = new AlertReceivers(options, log, TimeProvider.System, NullLoggerFactory.Instance, new SocketsHttpHandler(), policy);
        var dispatcher = new AlertDispatcher(notifier, receivers, TimeProvider.System, NullLogger<AlertDispatcher>.Instance);
        await dispatcher.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return new RunningNotifier(notifier, receivers, dispatcher, log);
    }

    public async ValueTask DisposeAsync()
    {
        await _dispatcher.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        _dispatcher.Dispose();
        _receivers.Dispose();
    }
}
