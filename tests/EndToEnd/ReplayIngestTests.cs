using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd;

/// <summary>
/// The walking skeleton end to end: a real agent process replays each capture over real gRPC into a
/// real server with a SQLite file, and the HTTP API's totals equal the capture's sums, key for key.
/// </summary>
public sealed class ReplayIngestTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("linux-stap-pfstat.txt", "linux")]
    [InlineData("solaris-dtrace-pfstat.txt", "solaris")]
    public async Task ReplayOnce_PageFaultCapture_ApiTotalsEqualCaptureSums(string capture, string os)
    {
        var host = $"pf-{os}-{Guid.NewGuid():N}";
        var run = await ReplayAsync(host, os, capture);

        Assert.True(run.ExitCode == 0, run.ToString());
        var expected = CaptureReference.Read(RepoPaths.Capture(capture));
        var rows = await fixture.Server.GetAsync<List<PageFaultRowDto>>($"/api/hosts/{host}/top?probe=pagefaults&limit=0");
        Assert.Equal(
            expected.Keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.First)),
            rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Faults)));
    }

    [Theory]
    [InlineData("linux-stap-kmemstat.txt", "linux")]
    [InlineData("solaris-dtrace-kmemstat.txt", "solaris")]
    public async Task ReplayOnce_KmemCapture_ApiTotalsEqualCaptureSums(string capture, string os)
    {
        var host = $"kmem-{os}-{Guid.NewGuid():N}";
        var run = await ReplayAsync(host, os, capture);

        Assert.True(run.ExitCode == 0, run.ToString());
        var expected = CaptureReference.Read(RepoPaths.Capture(capture));
        var rows = await fixture.Server.GetAsync<List<KmemRowDto>>($"/api/hosts/{host}/top?probe=kmem&limit=0");
        Assert.Equal(
            expected.Keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.First, k.Value.Second)),
            rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Allocs, r.Frees)));
    }

    [Fact]
    public async Task ReplayOnce_BothProbes_HostListedWithOsProbesAndSortedTop()
    {
        var host = $"both-{Guid.NewGuid():N}";
        var run = await ReplayAsync(host, "solaris", "solaris-dtrace-pfstat.txt", "solaris-dtrace-kmemstat.txt");

        Assert.True(run.ExitCode == 0, run.ToString());
        var hosts = await fixture.Server.GetAsync<List<HostDto>>("/api/hosts");
        var listed = Assert.Single(hosts, h => h.Name == host);
        Assert.Equal("solaris", listed.Os);
        Assert.Equal(["pagefaults", "kmem"], listed.Probes);
        Assert.False(listed.Online);
        Assert.True(DateTime.UtcNow - listed.LastSeen < TimeSpan.FromMinutes(5), $"lastSeen {listed.LastSeen:O}");

        var top = await fixture.Server.GetAsync<List<KmemRowDto>>($"/api/hosts/{host}/top?probe=kmem&limit=3");
        var all = CaptureReference.Read(RepoPaths.Capture("solaris-dtrace-kmemstat.txt")).Keys;
        var expected = all.OrderByDescending(k => k.Value.First).ThenByDescending(k => k.Value.Second).ThenBy(k => k.Key, StringComparer.Ordinal).Take(3);
        Assert.Equal(expected.Select(k => (k.Key, k.Value.First)), top.Select(r => (r.Key, r.Allocs)));
    }

    [Fact]
    public async Task ReplayOnce_TimeRange_OnlyIntervalsInsideCounted()
    {
        var host = $"range-{Guid.NewGuid():N}";
        var before = DateTime.UtcNow;
        var run = await ReplayAsync(host, "linux", "linux-stap-pfstat.txt");
        Assert.True(run.ExitCode == 0, run.ToString());

        // Intervals are stamped N − i seconds before the replay started: all of them lie before "now".
        var future = Uri.EscapeDataString(before.AddMinutes(1).ToString("O"));
        var none = await fixture.Server.GetAsync<List<PageFaultRowDto>>($"/api/hosts/{host}/top?probe=pagefaults&from={future}");
        Assert.Empty(none);
        var past = Uri.EscapeDataString(before.AddMinutes(-5).ToString("O"));
        var all = await fixture.Server.GetAsync<List<PageFaultRowDto>>($"/api/hosts/{host}/top?probe=pagefaults&from={past}&limit=0");
        Assert.Equal(CaptureReference.Read(RepoPaths.Capture("linux-stap-pfstat.txt")).Keys.Count, all.Count);
    }

    private Task<AgentRun.Result> ReplayAsync(string host, string os, params string[] captures) =>
        AgentRun.RunAsync(
            ["--server", fixture.Server.IngestUrl.ToString(), "--host", host, "--os", os, "--speed", "0", "--once",
             .. captures.SelectMany(c => new[] { "--replay", RepoPaths.Capture(c) })],
            AgentTimeout);
}
