using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.EndToEnd.Live;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>
/// Scale-out of the live feed: two servers share Debian's real Redis (its own process on a loopback port), so a hub
/// client connected to the second server receives the snapshots an agent streams into the first, and the second
/// server's fleet summary counts them. Hub connections on the second server that never read hold up neither.
/// </summary>
public sealed class RedisBackplaneTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracefleet-redis-").FullName;
    private ChildProcess _redis = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists("/usr/bin/redis-server"), "redis-server is missing: ./scripts/test.sh installs it");
        _port = LoopbackPort.Next();
        _redis = new ChildProcess("/usr/bin/redis-server",
            ["--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir]);
        Assert.True(await Poll.TrueAsync(() => LoopbackPort.Accepts(_port), TimeSpan.FromSeconds(30)), "redis-server did not start:\n" + _redis.Output);
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Dictionary<string, string> Backplane => new() { ["Live:Redis"] = $"127.0.0.1:{_port}", ["Live:SendTimeoutMs"] = "600000" };

    [Fact]
    public async Task TwoServersSharingRedis_AgentOnFirst_HubClientOnSecondReceivesItsSnapshots()
    {
        await using var first = await ServerProcess.StartAsync(Backplane);
        await using var second = await ServerProcess.StartAsync(Backplane);
        var host = $"scaled-{Guid.NewGuid():N}";
        await using var listener = await LiveListener.ConnectAsync(second.WebUrl);
        await listener.JoinHostAsync(host);
        await listener.JoinFleetAsync();

        await using var agent = new ChildProcess(RepoPaths.Agent,
            ["--server", first.IngestUrl.ToString(), "--host", host, "--replay", RepoPaths.Capture("linux-stap-kmemstat.txt"), "--loop", "--speed", "4"]);

        await LiveListener.WaitUntilAsync(() => listener.Snapshots.Count >= 3, TimeSpan.FromSeconds(60),
            $"snapshots of {host} through Redis on the second server\nagent:\n{agent.Output}\nfirst server:\n{first.Output}\nsecond server:\n{second.Output}");
        Assert.All(listener.Snapshots, s => Assert.Equal(host, s.Snapshot.Host));
        Assert.All(listener.Snapshots, s => Assert.Equal("kmem", s.Snapshot.Probe));
        var sequences = listener.Snapshots.Select(s => s.Snapshot.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        // The second server never saw the agent: what it pushed came through the backplane, and its fleet summary counts it.
        using var response = await second.Http.GetAsync($"/api/hosts/{host}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        await LiveListener.WaitUntilAsync(() => listener.Fleet.Any(f => f.Hosts.Any(h => h.Name == host && h.Reporting && h.Allocs > 0)), TimeSpan.FromSeconds(30),
            $"a fleet event of the second server with {host} reporting");
    }

    [Fact]
    public async Task TwoServersSharingRedis_StuckConnectionsOnSecond_WatcherOnSecondReceivesEverySnapshot()
    {
        await using var first = await ServerProcess.StartAsync(Backplane);
        await using var second = await ServerProcess.StartAsync(Backplane);
        var host = $"scaled-stuck-{Guid.NewGuid():N}";
        var capture = TempCaptures.LongNames(40, 100, 500);
        var stuck = new List<StuckHubClient>();
        try
        {
            await using var watcher = await LiveListener.ConnectAsync(second.WebUrl);
            await watcher.JoinHostAsync(host);
            for (var i = 0; i < 4; i++)
            {
                stuck.Add(await StuckHubClient.JoinHostAsync(second.WebUrl, host, fleet: true));
            }

            await LoopingReplay.StreamAsync(first, host, capture, perSecond: 50, snapshots: 750);
            var stoppedAt = DateTime.UtcNow;
            var stored = await LoopingReplay.LatestSequenceAsync(first, host);
            await Poll.TrueAsync(() => watcher.Snapshots.Any(s => s.Snapshot.Sequence == (ulong)stored), TimeSpan.FromSeconds(20));

            Assert.All(stuck, s => Assert.False(s.DroppedByServer, "the second server dropped a stuck connection, so this run does not show what they cost"));
            Assert.True(watcher.DistinctSnapshots(host) >= 0.9 * stored, $"the watcher received {watcher.DistinctSnapshots(host)} of {stored} snapshots");
            var gap = watcher.LongestGap(host, stoppedAt);
            Assert.True(gap <= TimeSpan.FromSeconds(3), $"the watcher waited {gap.TotalSeconds:F1} s between two snapshots");
        }
        finally
        {
            foreach (var client in stuck)
            {
                await client.DisposeAsync();
            }

            File.Delete(capture);
        }
    }
}
