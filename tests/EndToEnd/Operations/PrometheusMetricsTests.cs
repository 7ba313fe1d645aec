using CliWrap;
using CliWrap.Buffered;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>
/// <c>GET /metrics</c> as Prometheus users meet it: the text passes Debian's <c>promtool check metrics</c>,
/// and a real Prometheus scrapes the real server and answers PromQL with a host's series.
/// </summary>
public sealed class PrometheusMetricsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Metrics_AfterReplay_PassesPromtoolAndNamesHostKeys()
    {
        var host = $"prom-{Guid.NewGuid():N}";
        await ReplayAsync(host, "solaris-dtrace-kmemstat.txt");

        var text = await fixture.Server.Http.GetStringAsync("/metrics").WaitAsync(Patience);
        using var cancel = new CancellationTokenSource(Patience);
        var check = await Cli.Wrap("promtool").WithArguments(["check", "metrics"])
            .WithStandardInputPipe(PipeSource.FromString(text))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancel.Token);

        Assert.True(check.ExitCode == 0, $"promtool: {check.StandardOutput}{check.StandardError}\n{text}");
        Assert.Contains("tracefleet_snapshots_stored_total", text, StringComparison.Ordinal);
        Assert.Contains("\ntracefleet_query_cache_bytes ", text, StringComparison.Ordinal);
        Assert.Contains($"tracefleet_kmem_allocs_total{{host=\"{host}\",probe=\"kmem\",key=", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_ScrapesServer_PromQlReturnsHostTopKeyWithCaptureTotal()
    {
        var host = $"prom-{Guid.NewGuid():N}";
        await ReplayAsync(host, "solaris-dtrace-pfstat.txt");
        var expected = CaptureReference.Read(RepoPaths.Capture("solaris-dtrace-pfstat.txt")).Keys
            .OrderByDescending(k => k.Value.First).ThenBy(k => k.Key, StringComparer.Ordinal).First();

        await using var prometheus = PrometheusServer.Start(fixture.Server.WebUrl);
        var query = $"tracefleet_pagefaults_total{{host=\"{host}\"}}";
        var series = await Poll.UntilAsync(() => prometheus.QueryAsync(query), s => s.Count > 0, Patience).WaitAsync(Patience + Patience);

        Assert.True(series.Count > 0, $"no series for {query}\n{prometheus.Output}");
        Assert.True(series.Count <= 10, $"{series.Count} series: more than Metrics:TopKeys");
        var top = Assert.Single(series, s => s.Labels["key"] == expected.Key);
        Assert.Equal("pagefaults", top.Labels["probe"]);
        Assert.Equal(expected.Value.First, (long)top.Value);
        var up = await prometheus.QueryAsync("up{job=\"tracefleet\"}").WaitAsync(Patience);
        Assert.Equal(1, Assert.Single(up).Value);
    }

    private async Task ReplayAsync(string host, string capture)
    {
        var run = await AgentRun.RunAsync(
            ["--server", fixture.Server.IngestUrl.ToString(), "--host", host, "--os", "solaris", "--speed", "0", "--once", "--replay", RepoPaths.Capture(capture)],
            Patience);
        Assert.True(run.ExitCode == 0, run.ToString());
    }
}
