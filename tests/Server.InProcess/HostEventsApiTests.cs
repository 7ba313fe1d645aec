using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tracefleet.Contract.V1;
using Tracefleet.Server.InProcess.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.InProcess;

/// <summary>What ingest sees of a host's agent and probes, as /api/hosts/{name}/events lists it.</summary>
public sealed class HostEventsApiTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    [Fact]
    public async Task Events_ProbeFailureThenReconnect_ListedNewestFirstWithTheError()
    {
        const string host = "web-01";
        var epoch = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        using (var channel = server.Ingest())
        using (var agent = new InProcessAgent(channel, InProcessServer.TokenOf(host)))
        {
            Assert.NotNull((await agent.HelloAsync(InProcessAgent.Hello(host, epoch, "pagefaults"))).Welcome);
            await agent.SendAsync(new AgentMessage
            {
                ProbeStatus = new ProbeStatus { Probe = "pagefaults", State = "failed", LastError = "bpftrace: ERROR: probe not found", AtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
            });
            // The stream is read in order: once the snapshot is acknowledged, the status before it was kept.
            await agent.SendAsync(InProcessAgent.PageFaults(1, 2, ("libc.so.6", 4)));
            Assert.Equal([1ul], (await agent.AnswersAsync(1)).Stored);
        }

        using var web = server.Web();
        await Poll.UntilAsync(() => KindsAsync(web, host), kinds => kinds.Contains("disconnected"), InProcessAgent.Patience);
        using (var channel = server.Ingest())
        using (var agent = new InProcessAgent(channel, InProcessServer.TokenOf(host)))
        {
            Assert.NotNull((await agent.HelloAsync(InProcessAgent.Hello(host, epoch + 1, "pagefaults"))).Welcome);
            var kinds = await Poll.UntilAsync(() => KindsAsync(web, host), kinds => kinds.Contains("reconnected"), InProcessAgent.Patience);

            Assert.Equal(["reconnected", "disconnected", "probe", "connected"], kinds);
        }

        var events = await web.GetFromJsonAsync<JsonElement>($"/api/hosts/{host}/events").WaitAsync(InProcessAgent.Patience);
        var failure = events.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "probe");
        Assert.Equal("pagefaults", failure.GetProperty("probe").GetString());
        Assert.Equal("failed · bpftrace: ERROR: probe not found", failure.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Events_RangeAndLimit_OnlyThoseInTheRangeUpToTheLimit()
    {
        const string host = "web-02";
        using (var channel = server.Ingest())
        using (var agent = new InProcessAgent(channel, InProcessServer.TokenOf(host)))
        {
            Assert.NotNull((await agent.HelloAsync(InProcessAgent.Hello(host, 7, "pagefaults"))).Welcome);
        }

        using var web = server.Web();
        await Poll.UntilAsync(() => KindsAsync(web, host), kinds => kinds.Count == 2, InProcessAgent.Patience);

        var limited = await web.GetFromJsonAsync<JsonElement>($"/api/hosts/{host}/events?limit=1").WaitAsync(InProcessAgent.Patience);
        var past = await web.GetFromJsonAsync<JsonElement>($"/api/hosts/{host}/events?to=2020-01-01T00:00:00Z").WaitAsync(InProcessAgent.Patience);

        Assert.Equal("disconnected", Assert.Single(limited.EnumerateArray()).GetProperty("kind").GetString());
        Assert.Empty(past.EnumerateArray());
    }

    [Fact]
    public async Task Events_HostNeverSeen_NotFound()
    {
        using var web = server.Web();

        using var response = await web.GetAsync(new Uri("/api/hosts/never-01/events", UriKind.Relative)).WaitAsync(InProcessAgent.Patience);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<List<string>> KindsAsync(HttpClient web, string host)
    {
        using var response = await web.GetAsync(new Uri($"/api/hosts/{host}/events", UriKind.Relative)).WaitAsync(InProcessAgent.Patience);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        var events = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(InProcessAgent.Patience);
        return events.EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToList();
    }
}
