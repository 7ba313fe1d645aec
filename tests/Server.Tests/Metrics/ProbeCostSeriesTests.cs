using System.Text;
using Prometheus;
using Tracefleet.Contract.V1;
using Tracefleet.Server.Ingest;
using Tracefleet.Server.Metrics;
using Tracefleet.Server.Tests.Ingest;

namespace Tracefleet.Server.Tests.Metrics;

/// <summary>What /metrics exports of each probe's cost and suspension: series for what was measured, gone with the host.</summary>
public sealed class ProbeCostSeriesTests
{
    private const long T0 = 1_795_672_800_000;

    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly ProbeCostSeries _series;

    public ProbeCostSeriesTests() => _series = new ProbeCostSeries(Prometheus.Metrics.WithCustomRegistry(_registry));

    [Fact]
    public async Task Update_MeasuredWithKernelTime_EveryFigureWithTracerAndKernelParts()
    {
        var cost = ProbeStatusRegistryTests.Cost(tracerCpu: 1.5);
        cost.KernelTimeKnown = true;
        cost.KernelCpuPercent = 0.75;

        _series.Update([("web-01", Report("running", cost))]);

        var text = await ExportAsync();
        Assert.Contains("tracefleet_probe_cpu_percent{host=\"web-01\",probe=\"kmem\",part=\"tracer\"} 1.5\n", text, StringComparison.Ordinal);
        Assert.Contains("tracefleet_probe_cpu_percent{host=\"web-01\",probe=\"kmem\",part=\"kernel\"} 0.75\n", text, StringComparison.Ordinal);
        Assert.Contains("tracefleet_probe_rss_bytes{host=\"web-01\",probe=\"kmem\"} 48000000\n", text, StringComparison.Ordinal);
        Assert.Contains("tracefleet_probe_events_per_second{host=\"web-01\",probe=\"kmem\"} 1200\n", text, StringComparison.Ordinal);
        Assert.Contains("tracefleet_probe_output_bytes_per_second{host=\"web-01\",probe=\"kmem\"} 900\n", text, StringComparison.Ordinal);
        Assert.Contains("tracefleet_probe_budget_cpu_percent{host=\"web-01\",probe=\"kmem\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("tracefleet_probe_suspended{host=\"web-01\",probe=\"kmem\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_SuspendedKernelTimeUnknown_SuspendedOneAndNoKernelPart()
    {
        _series.Update([("web-01", Report("suspended", ProbeStatusRegistryTests.Cost(tracerCpu: 9)))]);

        var text = await ExportAsync();
        Assert.Contains("tracefleet_probe_suspended{host=\"web-01\",probe=\"kmem\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("part=\"tracer\"} 9\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("part=\"kernel\"}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_NotMeasured_OnlyTheSuspendedSeries()
    {
        _series.Update([("web-01", Report("running", cost: null))]);

        var text = await ExportAsync();
        Assert.Contains("tracefleet_probe_suspended{host=\"web-01\",probe=\"kmem\"} 0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tracefleet_probe_cpu_percent{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tracefleet_probe_budget_cpu_percent{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_HostGone_ItsSeriesRemovedTheOthersKept()
    {
        var cost = ProbeStatusRegistryTests.Cost(tracerCpu: 1);
        _series.Update([("web-01", Report("running", cost)), ("web-02", Report("running", cost))]);

        _series.Update([("web-02", Report("running", cost))]);

        var text = await ExportAsync();
        Assert.DoesNotContain("host=\"web-01\"", text, StringComparison.Ordinal);
        Assert.Contains("tracefleet_probe_rss_bytes{host=\"web-02\",probe=\"kmem\"} 48000000\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_EverySeries_HasHelpText()
    {
        _series.Update([("web-01", Report("running", ProbeStatusRegistryTests.Cost(tracerCpu: 1)))]);

        var text = await ExportAsync();
        string[] names =
        [
            "tracefleet_probe_cpu_percent", "tracefleet_probe_rss_bytes", "tracefleet_probe_events_per_second",
            "tracefleet_probe_output_bytes_per_second", "tracefleet_probe_budget_cpu_percent", "tracefleet_probe_suspended",
        ];
        Assert.All(names, name => Assert.Contains($"# HELP {name} ", text, StringComparison.Ordinal));
    }

    private static ProbeReport Report(string state, ProbeCost? cost) =>
        new(new ProbeStatus { Probe = "kmem", State = state, AtUnixMs = T0, Cost = cost }, cost, T0);

    private async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream).WaitAsync(TimeSpan.FromSeconds(30));
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
