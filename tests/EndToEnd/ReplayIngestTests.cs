using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd;

/// <summary>
/// The walking skeleton end to end: a real agent process replays each capture over real gRPC into a
/// real server, and the HTTP API's totals equal the capture's sums, key for key: on a SQLite file and on
/// PostgreSQL (the subclasses at the end).
/// </summary>
public abstract class ReplayIngestTests(ServerProcess server)
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
        var rows = await server.GetAsync<List<PageFaultRowDto>>($"/api/hosts/{host}/top?probe=pagefaults&limit=0");
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
        await ApiTotals.AssertKmemAsync(server, host, expected.Keys);
    }

    [Fact]
    public async Task ReplayOnce_BothProbes_HostListedWithOsProbesAndSortedTop()
    {
        var host = $"both-{Guid.NewGuid():N}";
        // The server stores milliseconds: the reading before the run, cut to them, is no later than any time it stores.
        var before = DateTime.UnixEpoch.AddMilliseconds(Math.Floor((DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds));
        var run = await ReplayAsync(host, "solaris", "solaris-dtrace-pfstat.txt", "solaris-dtrace-kmemstat.txt");

        Assert.True(run.ExitCode == 0, run.ToString());
        var hosts = await server.GetAsync<List<HostDto>>("/api/hosts");
        var after = DateTime.UtcNow;
        var listed = Assert.Single(hosts, h => h.Name == host);
        Assert.Equal("solaris", listed.Os);
        Assert.Equal(["pagefaults", "kmem"], listed.Probes);
        Assert.False(listed.Online);
        Assert.InRange(listed.LastSeen, before, after);

        var top = await server.GetAsync<List<KmemRowDto>>($"/api/hosts/{host}/top?probe=kmem&limit=3");
        var all = CaptureReference.Read(RepoPaths.Capture("solaris-dtrace-kmemstat.txt")).Keys;
        var expected = all.OrderByDescending(k => k.Value.First).ThenByDescending(k => k.Value.Second).ThenBy(k => k.Key, StringComparer.Ordinal).Take(3);
        Assert.Equal(expected.Select(k => (k.Key, k.Value.First)), top.Select(r => (r.Key, r.Allocs)));
    }

    [Fact]
    public async Task ReplayOnce_TimeRange_OnlyIntervalsInsideCounted()
    {
        var host = $"range-{Guid.NewGuid():N}";
        var capture = CaptureReference.Read(RepoPaths.Capture("linux-stap-pfstat.txt"));
        var before = DateTime.UtcNow;
        var run = await ReplayAsync(host, "linux", "linux-stap-pfstat.txt");
        Assert.True(run.ExitCode == 0, run.ToString());
        var after = DateTime.UtcNow;

        // Interval i of N is stamped N − i seconds before the agent started, which is between the two readings
        // (however long the agent took to start): all of them start in [before − N s, after).
        var future = Uri.EscapeDataString(after.ToString("O"));
        var none = await server.GetAsync<List<PageFaultRowDto>>($"/api/hosts/{host}/top?probe=pagefaults&from={future}");
        Assert.Empty(none);
        var past = Uri.EscapeDataString(before.AddSeconds(-capture.Intervals - 1).ToString("O"));
        var all = await server.GetAsync<List<PageFaultRowDto>>($"/api/hosts/{host}/top?probe=pagefaults&from={past}&limit=0");
        Assert.Equal(capture.Keys.Count, all.Count);
    }

    [Fact]
    public async Task ReplayOnce_TwoHosts_CompareSeriesAndLatestEqualCaptureSums()
    {
        var (linux, solaris) = ($"cmp-linux-{Guid.NewGuid():N}", $"cmp-solaris-{Guid.NewGuid():N}");
        // Both bounds from readings around the replays, so every interval lies inside whatever the runs took.
        var since = Uri.EscapeDataString(DateTime.UtcNow.AddHours(-1).ToString("O"));
        Assert.True((await ReplayAsync(linux, "linux", "linux-stap-kmemstat.txt")).ExitCode == 0);
        Assert.True((await ReplayAsync(solaris, "solaris", "solaris-dtrace-kmemstat.txt")).ExitCode == 0);
        var until = Uri.EscapeDataString(DateTime.UtcNow.ToString("O"));
        var linuxSums = CaptureReference.Read(RepoPaths.Capture("linux-stap-kmemstat.txt")).Keys;
        var solarisSums = CaptureReference.Read(RepoPaths.Capture("solaris-dtrace-kmemstat.txt")).Keys;

        // Compare: each key's allocs per host, null where the host never had it.
        var compare = await server.GetAsync<CompareDto>($"/api/compare?probe=kmem&host={linux}&host={solaris}&limit=0&from={since}");
        Assert.Equal([linux, solaris], compare.Hosts);
        Assert.Equal(linuxSums.Keys.Union(solarisSums.Keys).Order(StringComparer.Ordinal), compare.Rows.Select(r => r.Key).Order(StringComparer.Ordinal));
        foreach (var row in compare.Rows)
        {
            Assert.Equal(linuxSums.TryGetValue(row.Key, out var l) ? (long?)l.First : null, row.Allocs[0]);
            Assert.Equal(solarisSums.TryGetValue(row.Key, out var s) ? (long?)s.First : null, row.Allocs[1]);
        }

        // Series: one host's buckets add up to its whole capture.
        var series = await server.GetAsync<SeriesDto>($"/api/series?probe=kmem&host={linux}&from={since}&to={until}&step=60s");
        var points = Assert.Single(series.Series).Points;
        Assert.Equal(linuxSums.Values.Sum(v => v.First), points.Sum(p => p.Allocs));
        Assert.Equal(linuxSums.Values.Sum(v => v.Second), points.Sum(p => p.Frees));

        // Latest: the last snapshot the agent sent.
        var latest = await server.GetAsync<LatestDto>($"/api/hosts/{solaris}/latest?probe=kmem");
        Assert.True(latest.Sequence > 0 && latest.Rows.Count > 0, $"latest snapshot: sequence {latest.Sequence}, {latest.Rows.Count} rows");
        Assert.All(latest.Rows, r => Assert.True(solarisSums.ContainsKey(r.Key), r.Key));

        // The fleet page's first paint and fleet-wide top answer too (other tests' hosts share this server).
        var summary = await server.GetAsync<System.Text.Json.JsonElement>("/api/fleet/summary");
        Assert.Contains(summary.GetProperty("hosts").EnumerateArray(), h => h.GetProperty("name").GetString() == solaris);
        var fleetTop = await server.GetAsync<List<KmemRowDto>>($"/api/fleet/top?probe=kmem&limit=0&from={since}");
        Assert.All(linuxSums, k => Assert.True(fleetTop.Single(r => r.Key == k.Key).Allocs >= k.Value.First, k.Key));
    }

    private Task<AgentRun.Result> ReplayAsync(string host, string os, params string[] captures) =>
        AgentRun.RunAsync(
            ["--server", server.IngestUrl.ToString(), "--host", host, "--os", os, "--speed", "0", "--once",
             .. captures.SelectMany(c => new[] { "--replay", RepoPaths.Capture(c) })],
            AgentTimeout);
}

/// <summary>The replay tests against a server storing into a SQLite file.</summary>
public sealed class SqliteReplayIngestTests(ServerFixture fixture) : ReplayIngestTests(fixture.Server), IClassFixture<ServerFixture>;

/// <summary>The replay tests against a server storing into PostgreSQL (<c>Storage:Provider=postgres</c>).</summary>
public sealed class PostgresReplayIngestTests(PostgresServerFixture fixture) : ReplayIngestTests(fixture.Server), IClassFixture<PostgresServerFixture>;
