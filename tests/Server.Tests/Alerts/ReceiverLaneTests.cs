using Tracefleet.Server.Alerts.Notify;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>
/// One receiver's deliveries: a 4xx other than 429 is given up at once, a 5xx, a 429 and a network error are retried up
/// to the policy's attempts, each attempt in the delivery log; a full queue drops and logs what it could not take.
/// </summary>
public sealed class ReceiverLaneTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task DeliverAsync_ClientError_NotRetriedFailedWithTheAnswer(int status)
    {
        using var handler = new ScriptedHandler(status);
        var lane = handler.Lane("pager");

        var outcome = await lane.DeliverAsync(Post(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(DeliveryOutcome.Failed, outcome);
        Assert.Single(handler.Bodies);
        var entry = Assert.Single(handler.Log.Entries());
        Assert.Equal((1, DeliveryOutcome.Failed, status), (entry.Attempt, entry.Outcome, entry.HttpStatus));
        Assert.Contains($"refused with {status}", entry.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(ScriptedHandler.NetworkError)]
    public async Task DeliverAsync_ServerErrorThenOk_RetriedAndDelivered(int first)
    {
        using var handler = new ScriptedHandler(first);
        var lane = handler.Lane("pager");

        var outcome = await lane.DeliverAsync(Post(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(DeliveryOutcome.Delivered, outcome);
        Assert.Equal(2, handler.Bodies.Count);
        Assert.Equal(handler.Bodies.First(), handler.Bodies.Last());
        Assert.Equal(
            [(1, DeliveryOutcome.Retrying, first == ScriptedHandler.NetworkError ? null : first), (2, DeliveryOutcome.Delivered, (int?)200)],
            handler.Log.Entries().Select(e => (e.Attempt, e.Outcome, e.HttpStatus)));
    }

    [Fact]
    public async Task DeliverAsync_ServerErrorEveryTime_GivenUpAfterTheLastAttempt()
    {
        using var handler = new ScriptedHandler(503, 503, 503, 503, 503, 503, 503);
        var lane = handler.Lane("pager");

        var outcome = await lane.DeliverAsync(Post(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(DeliveryOutcome.Failed, outcome);
        Assert.Equal(ScriptedHandler.FastPolicy.MaxAttempts, handler.Bodies.Count);
        Assert.Equal(
            [DeliveryOutcome.Retrying, DeliveryOutcome.Retrying, DeliveryOutcome.Retrying, DeliveryOutcome.Retrying, DeliveryOutcome.Failed],
            handler.Log.Entries().Select(e => e.Outcome));
    }

    [Fact]
    public void Offer_QueueFull_DroppedLoggedAndDoneCalled()
    {
        using var handler = new ScriptedHandler();
        var lane = handler.Lane("pager", capacity: 2);
        var done = 0;

        var taken = Enumerable.Range(0, 5).Select(i => lane.Offer(Post($"f{i}", () => done++))).ToList();

        Assert.Equal([true, true, false, false, false], taken);
        Assert.Equal(2, lane.Count);
        Assert.Equal(3, done);
        Assert.Equal(["f2", "f3", "f4"], handler.Log.Entries().Select(e => e.Fingerprint));
        Assert.All(handler.Log.Entries(), e => Assert.Equal(DeliveryOutcome.Dropped, e.Outcome));
    }

    [Fact]
    public void DelayAfter_EachAttempt_Doubles() =>
        Assert.Equal(
            [1, 2, 4, 8],
            Enumerable.Range(1, 4).Select(a => DeliveryPolicy.Default.DelayAfter(a).TotalSeconds));

    private static LanePost Post(string fingerprint = "a1b2c3", Action? done = null) =>
        new(fingerprint, "firing", 1, () => JsonPosts.Create(new Uri("http://127.0.0.1:1/hook"), """{"version":"4"}"""u8.ToArray()), done);
}
