using Microsoft.Extensions.Logging.Abstractions;
using Tracefleet.Contract.Probes;
using Tracefleet.Server.Live;

namespace Tracefleet.Server.Tests.Live;

/// <summary>A connection's queue: posting never waits for the client, and a client that does not read loses its oldest messages only.</summary>
public sealed class LiveOutboxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Post_ClientStuckOnASend_NewestKeptInOrderOldestDroppedAndCounted()
    {
        var client = new FakeLiveClient { Stuck = true };
        var dropped = 0;
        using var outbox = new LiveOutbox("c1", client, capacity: 4, () => dropped++, NullLogger.Instance);
        outbox.Post(LiveMessage.Of(Snapshot(1)));
        await client.Blocked.Task.WaitAsync(Patience);

        for (var sequence = 2UL; sequence <= 1000; sequence++)
        {
            outbox.Post(LiveMessage.Of(Snapshot(sequence)));
        }

        Assert.Equal(995, dropped);
        client.Unstick();
        await WaitForAsync(() => client.Received.Count == 5);
        Assert.Equal([1UL, 997, 998, 999, 1000], client.Received.Cast<LiveSnapshot>().Select(s => s.Sequence));
    }

    [Fact]
    public async Task Dispose_ClientStuck_WriterEndsWithoutSendingWhatWaited()
    {
        var client = new FakeLiveClient { Stuck = true };
        var outbox = new LiveOutbox("c1", client, capacity: 4, () => { }, NullLogger.Instance);
        outbox.Post(LiveMessage.Of(Snapshot(1)));
        await client.Blocked.Task.WaitAsync(Patience);
        outbox.Post(LiveMessage.Of(Snapshot(2)));

        outbox.Dispose();
        client.Unstick();

        await outbox.Writing.WaitAsync(Patience);
        Assert.Equal([1UL], client.Received.Cast<LiveSnapshot>().Select(s => s.Sequence));
    }

    internal static LiveSnapshot Snapshot(ulong sequence, string host = "web-01") =>
        new(host, "pagefaults", sequence, DateTime.UnixEpoch, 1000, DateTime.UnixEpoch, DateTime.UnixEpoch, [LiveRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [sequence])]);

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(1, patience.Token);
        }
    }
}
