using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.EndToEnd.Live;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>
/// Scale-out of the live feed: two servers share Debian's real Redis (its own process on a loopback port)
/// as the SignalR backplane, so a hub client connected to the second server receives the snapshots an
/// agent streams into the first.
/// </summary>
public sealed class RedisBackplaneTests
{
    [Fact]
    public async Task TwoServersSharingRedis_AgentOnFirst_HubClientOnSecondReceivesItsSnapshots()
    {
        Assert.True(File.Exists("/usr/bin/redis-server"), "redis-server is missing: ./scripts/test.sh installs it");
        var port = FreePort.Next();
        var dir = Directory.CreateTempSubdirectory("tracefleet-redis-").FullName;
        await using var redis = new ChildProcess("/usr/bin/redis-server",
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir]);
        Assert.True(await Eventually.TrueAsync(() => FreePort.Accepts(port), TimeSpan.FromSeconds(30)), "redis-server did not start:\n" + redis.Output);
        var backplane = new Dictionary<string, string> { ["Live:Redis"] = $"127.0.0.1:{port}" };
        await using var first = await ServerProcess.StartAsync(backplane);
        await using var second = await ServerProcess.StartAsync(backplane);
        var host = $"scaled-{Guid.NewGuid():N}";
        await using var listener = await LiveListener.ConnectAsync(second.WebUrl);
        await listener.JoinHostAsync(host);

        await using var agent = new ChildProcess(RepoPaths.Agent,
            ["--server", first.IngestUrl.ToString(), "--host", host, "--replay", RepoPaths.Capture("linux-stap-kmemstat.txt"), "--loop", "--speed", "4"]);

        await LiveListener.WaitUntilAsync(() => listener.Snapshots.Count >= 3, TimeSpan.FromSeconds(60),
            $"snapshots of {host} through Redis on the second server\nagent:\n{agent.Output}\nfirst server:\n{first.Output}\nsecond server:\n{second.Output}");
        Assert.All(listener.Snapshots, s => Assert.Equal(host, s.Snapshot.Host));
        Assert.All(listener.Snapshots, s => Assert.Equal("kmem", s.Snapshot.Probe));
        // The second server never saw the agent: what it pushed came through the backplane.
        using var response = await second.Http.GetAsync($"/api/hosts/{host}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Directory.Delete(dir, recursive: true);
    }
}
