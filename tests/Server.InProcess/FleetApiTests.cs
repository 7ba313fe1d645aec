using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tracefleet.Contract.V1;
using Tracefleet.Server.InProcess.Infrastructure;

namespace Tracefleet.Server.InProcess;

/// <summary>The fleet page's reads over two hosts: which probes each runs, the busiest named key, and the fleet's totals over time.</summary>
public sealed class FleetApiTests(FleetApiTests.TwoHosts server) : IClassFixture<FleetApiTests.TwoHosts>
{
    /// <summary>
    /// web-01 runs pagefaults and kmem and sent two pagefaults snapshots: ??? 900, [ anon ] 500, (other) 300, libc.so.6 40,
    /// ld.so 2 (2 s ago) and libc.so.6 10 (5 s ago); no kmem. web-02 runs pagefaults (libc.so.6 7, ??? 3, 2 s ago) and
    /// declared kmem as not running (variant "none"). Fleet pagefaults: 1762 faults from 2 hosts.
    /// </summary>
    public sealed class TwoHosts : InProcessServer, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await SendAsync(
                InProcessAgent.Hello("web-01", 1, "pagefaults", "kmem"),
                InProcessAgent.PageFaults(1, 5, ("libc.so.6", 10)),
                InProcessAgent.PageFaults(2, 2, ("???", 900), ("[ anon ]", 500), ("(other)", 300), ("libc.so.6", 40), ("ld.so", 2)));
            var web02 = InProcessAgent.Hello("web-02", 1, "pagefaults");
            web02.Probes.Add(new ProbeInfo { Name = "kmem", Variant = "none", Limitations = "" });
            await SendAsync(web02, InProcessAgent.PageFaults(1, 2, ("libc.so.6", 7), ("???", 3)));
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

        private async Task SendAsync(Hello hello, params Snapshot[] snapshots)
        {
            using var channel = Ingest();
            using var agent = new InProcessAgent(channel, TokenOf(hello.Host));
            Assert.NotNull((await agent.HelloAsync(hello)).Welcome);
            foreach (var snapshot in snapshots)
            {
                await agent.SendAsync(snapshot);
            }

            var (stored, _) = await agent.AnswersAsync([.. snapshots.Select(s => s.Sequence)]);
            Assert.Equal(snapshots.Length, stored.Count);
        }
    }

    [Fact]
    public async Task Summary_ProbesDeclared_EachHostListsThoseItRunsOnly()
    {
        var hosts = await HostsAsync();

        Assert.Equal(["pagefaults", "kmem"], Names(hosts["web-01"].GetProperty("probes")));
        Assert.Equal(["pagefaults"], Names(hosts["web-02"].GetProperty("probes")));
        // Runs kmem, sent none in the window: its zeros are idle seconds, listed as run.
        Assert.NotEqual(0, hosts["web-01"].GetProperty("allocs").GetArrayLength());
        Assert.All(hosts["web-01"].GetProperty("allocs").EnumerateArray(), a => Assert.Equal(0UL, a.GetUInt64()));
    }

    [Fact]
    public async Task Summary_UnnamedKeysBusiest_NamedFieldHoldsTheBusiestFileNamed()
    {
        var hosts = await HostsAsync();

        Assert.Equal(("???", "libc.so.6"), (hosts["web-01"].GetProperty("topFile").GetString(), hosts["web-01"].GetProperty("topFileNamed").GetString()));
        Assert.Equal(("libc.so.6", "libc.so.6"), (hosts["web-02"].GetProperty("topFile").GetString(), hosts["web-02"].GetProperty("topFileNamed").GetString()));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (hosts["web-01"].GetProperty("topCache").ValueKind, hosts["web-01"].GetProperty("topCacheNamed").ValueKind));
    }

    [Fact]
    public async Task FleetSeries_TwoHostsInOneBucket_SummedAcrossHosts()
    {
        var (from, to) = (Iso(DateTime.UtcNow.AddMinutes(-30)), Iso(DateTime.UtcNow.AddMinutes(1)));

        var series = await GetAsync($"/api/fleet/series?probe=pagefaults&from={from}&to={to}&step=1h");

        Assert.Equal(("pagefaults", 3_600_000L, 2), (series.GetProperty("probe").GetString(), series.GetProperty("stepMs").GetInt64(), series.GetProperty("hosts").GetInt32()));
        var point = Assert.Single(series.GetProperty("points").EnumerateArray());
        Assert.Equal(900UL + 500 + 300 + 40 + 2 + 10 + 7 + 3, point.GetProperty("faults").GetUInt64());
        // web-01's seconds: 10 then 1742; web-02's one: 10. The hosts' busiest and lowest seconds summed bound the fleet's.
        Assert.Equal((1742UL + 10, 10UL + 10), (point.GetProperty("peaks").GetProperty("faults").GetUInt64(), point.GetProperty("lows").GetProperty("faults").GetUInt64()));
    }

    [Fact]
    public async Task FleetSeries_StepOfTenSeconds_EverySnapshotCountedOnceInBucketsOfTheStep()
    {
        var series = await GetAsync("/api/fleet/series?probe=pagefaults&step=10s");

        var from = series.GetProperty("from").GetDateTime();
        var points = series.GetProperty("points").EnumerateArray().Select(p => (T: p.GetProperty("t").GetDateTime(), Faults: p.GetProperty("faults").GetUInt64())).ToList();
        Assert.Equal(1762UL, points.Aggregate(0UL, (sum, p) => sum + p.Faults));
        Assert.All(points, p => Assert.Equal(0, (p.T - from).Ticks % TimeSpan.FromSeconds(10).Ticks));
        Assert.Equal(points.Select(p => p.T).Order(), points.Select(p => p.T));
    }

    [Fact]
    public async Task FleetSeries_ProbeNoHostSent_NoPointsNoHosts()
    {
        var series = await GetAsync("/api/fleet/series?probe=kmem");

        Assert.Equal((0, 0), (series.GetProperty("points").GetArrayLength(), series.GetProperty("hosts").GetInt32()));
    }

    [Theory]
    [InlineData("/api/fleet/series?probe=nosuch", "nosuch")]
    [InlineData("/api/fleet/series?probe=kmem&step=1s&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", "more than")]
    [InlineData("/api/fleet/series?probe=kmem&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "after")]
    public async Task FleetSeries_BadParameter_ProblemSaysWhy(string path, string detailMentions)
    {
        using var web = server.Web();

        using var response = await web.GetAsync(path).WaitAsync(InProcessAgent.Patience);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(InProcessAgent.Patience);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detailMentions, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, JsonElement>> HostsAsync()
    {
        var summary = await GetAsync("/api/fleet/summary");
        return summary.GetProperty("hosts").EnumerateArray().ToDictionary(h => h.GetProperty("name").GetString()!);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var web = server.Web();
        return await web.GetFromJsonAsync<JsonElement>(path).WaitAsync(InProcessAgent.Patience);
    }

    private static List<string?> Names(JsonElement list) => [.. list.EnumerateArray().Select(n => n.GetString())];

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
