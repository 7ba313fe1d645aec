using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Live;
using static Tracefleet.Server.Tests.Live.LiveOutboxTests;

namespace Tracefleet.Server.Tests.Live;

/// <summary>Who watches what, how many hosts one connection may join, and that a post reaches the watchers without waiting for any.</summary>
public sealed class LiveAudienceTests
{
    private readonly Dictionary<string, FakeLiveClient> _clients = [];

    [Fact]
    public void Watches_JoinLeaveDisconnect_TracksEachConnection()
    {
        using var audience = Audience(new LiveOptions(), "a", "b");

        Assert.False(audience.Watches("web-01"));
        audience.JoinHost("a", "web-01");
        audience.JoinHost("a", "web-01");
        audience.JoinHost("b", "web-01");
        audience.JoinHost("b", "db-01");
        audience.LeaveHost("a", "web-01");
        Assert.True(audience.Watches("web-01"));
        audience.Disconnected("b");

        Assert.False(audience.Watches("web-01"));
        Assert.False(audience.Watches("db-01"));
        audience.LeaveHost("b", "db-01");
        Assert.False(audience.Watches("db-01"));
    }

    [Fact]
    public void Connections_ConnectedThenDisconnected_CountsOpenOnes()
    {
        using var audience = Audience(new LiveOptions(), "a", "b");
        Assert.Equal(2, audience.Connections);

        audience.Disconnected("a");
        audience.Disconnected("a");

        Assert.Equal(1, audience.Connections);
    }

    [Fact]
    public void Watches_BehindRedisBackplane_EveryHost()
    {
        using var audience = Audience(new LiveOptions { Redis = "127.0.0.1:6379" });

        Assert.True(audience.Watches("any-host"));
    }

    [Fact]
    public void JoinHost_PastTheCap_RefusedUntilOneIsLeft()
    {
        using var audience = Audience(new LiveOptions { MaxHostsPerConnection = 3 }, "a", "b");

        Assert.All(["h1", "h2", "h3", "h3"], host => Assert.True(audience.JoinHost("a", host)));
        Assert.False(audience.JoinHost("a", "h4"));
        Assert.False(audience.Watches("h4"));
        Assert.True(audience.JoinHost("b", "h4"));
        audience.LeaveHost("a", "h1");

        Assert.True(audience.JoinHost("a", "h5"));
        Assert.False(audience.JoinHost("a", "h6"));
    }

    [Fact]
    public void JoinHost_ConnectionAlreadyGone_NothingKept()
    {
        using var audience = Audience(new LiveOptions(), "a");
        audience.Disconnected("a");

        audience.JoinHost("a", "web-01");
        audience.JoinFleet("a");

        Assert.False(audience.Watches("web-01"));
    }

    [Fact]
    public async Task Post_OneWatcherStuck_OthersReceiveEverySnapshotOfTheirHostsAndTheFleet()
    {
        using var audience = Audience(new LiveOptions { ConnectionQueueCapacity = 8 }, "stuck", "watcher", "other");
        _clients["stuck"].Stuck = true;
        audience.JoinHost("stuck", "web-01");
        audience.JoinFleet("stuck");
        audience.JoinHost("watcher", "web-01");
        audience.JoinFleet("watcher");
        audience.JoinHost("other", "db-01");

        for (var sequence = 1UL; sequence <= 500; sequence++)
        {
            audience.Post(Snapshot(sequence, "web-01"));
            await WaitForAsync(() => _clients["watcher"].Received.Count == (int)sequence);
            await _clients["stuck"].Blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        audience.Post(new FleetSecond(DateTime.UnixEpoch, 1000, 0, 0, []));
        audience.Post(Snapshot(1, "db-01"));

        await WaitForAsync(() => _clients["watcher"].Received.Count == 501 && !_clients["other"].Received.IsEmpty);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (ulong)i), _clients["watcher"].Received.OfType<LiveSnapshot>().Select(s => s.Sequence));
        Assert.Single(_clients["watcher"].Received.OfType<FleetSecond>());
        Assert.Equal(["db-01"], _clients["other"].Received.Cast<LiveSnapshot>().Select(s => s.Host));
        // The stuck one holds one message in its send and 8 queued; the rest of its 501 were dropped.
        Assert.Equal(501 - 1 - 8, audience.Dropped);
        Assert.Empty(_clients["stuck"].Received);
    }

    private LiveAudience Audience(LiveOptions options, params string[] connections)
    {
        var audience = new LiveAudience(Options.Create(options), id => _clients[id], NullLogger<LiveAudience>.Instance);
        foreach (var id in connections)
        {
            _clients[id] = new FakeLiveClient();
            audience.Connected(id);
        }

        return audience;
    }
}
