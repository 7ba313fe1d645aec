using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Tracefleet.Server.InProcess.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.InProcess;

/// <summary>The live hub as a .NET client sees it, with snapshots sent by an agent over gRPC, all in memory.</summary>
public sealed class LiveHubTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private const int Cap = 64;

    [Fact]
    public async Task JoinHost_PastTheCap_RefusedSayingWhyUntilOneIsLeft()
    {
        await using var hub = server.Hub();
        await hub.StartAsync().WaitAsync(InProcessAgent.Patience);
        for (var i = 0; i < Cap; i++)
        {
            await hub.InvokeAsync("JoinHost", $"cap-{i}").WaitAsync(InProcessAgent.Patience);
        }

        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("JoinHost", "cap-last").WaitAsync(InProcessAgent.Patience));
        await hub.InvokeAsync("JoinHost", "cap-1").WaitAsync(InProcessAgent.Patience);
        await hub.InvokeAsync("LeaveHost", "cap-0").WaitAsync(InProcessAgent.Patience);
        await hub.InvokeAsync("JoinHost", "cap-last").WaitAsync(InProcessAgent.Patience);

        Assert.EndsWith(
            $"HubException: This connection has joined {Cap} hosts, the most one connection may (Live:MaxHostsPerConnection); leave one (LeaveHost) before joining another.",
            refused.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hub-01", "hub-01")]
    [InlineData("hub-03", "HUB-03")] // one host, as DNS compares names
    public async Task JoinHost_AgentSendsASnapshot_ItReachesTheJoinedClientAndNoOther(string host, string joined)
    {
        var received = new ConcurrentQueue<(string Connection, JsonElement Snapshot)>();
        await using var watcher = server.Hub();
        await using var other = server.Hub();
        watcher.On<JsonElement>("snapshot", s => received.Enqueue(("watcher", s)));
        other.On<JsonElement>("snapshot", s => received.Enqueue(("other", s)));
        await Task.WhenAll(watcher.StartAsync(), other.StartAsync()).WaitAsync(InProcessAgent.Patience);
        await watcher.InvokeAsync("JoinHost", joined).WaitAsync(InProcessAgent.Patience);
        await other.InvokeAsync("JoinHost", "hub-02").WaitAsync(InProcessAgent.Patience);

        using var channel = server.Ingest();
        using var agent = new InProcessAgent(channel, InProcessServer.TokenOf(host));
        Assert.NotNull((await agent.HelloAsync(InProcessAgent.Hello(host, 5, "pagefaults"))).Welcome);
        await agent.SendAsync(InProcessAgent.PageFaults(1, 2, ("libc.so.6", 12)));
        Assert.Equal([1ul], (await agent.AnswersAsync(1)).Stored);
        Assert.True(await Poll.TrueAsync(() => !received.IsEmpty, InProcessAgent.Patience), $"a snapshot of {host} should reach the hub client");

        var (connection, snapshot) = Assert.Single(received);
        Assert.Equal("watcher", connection);
        Assert.Equal((host, "pagefaults", 1ul), (snapshot.GetProperty("host").GetString(), snapshot.GetProperty("probe").GetString(), snapshot.GetProperty("sequence").GetUInt64()));
        var row = Assert.Single(snapshot.GetProperty("rows").EnumerateArray());
        Assert.Equal(("libc.so.6", 12ul), (row.GetProperty("key").GetString(), row.GetProperty("faults").GetUInt64()));
    }
}
