using Tracefleet.Contract.V1;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

/// <summary>The latest status per host and probe, with the last cost measured and when, and a suspended probe's retry time.</summary>
public sealed class ProbeStatusRegistryTests
{
    private const long T0 = 1_795_672_800_000;

    private readonly ProbeStatusRegistry _registry = new();

    [Fact]
    public void Report_CostThenAStateChangeWithout_StateNewCostAndItsTimeKept()
    {
        _registry.Report("web-01", Status("running", T0, Cost(tracerCpu: 1.5)));

        _registry.Report("web-01", Status("restarting", T0 + 4000, cost: null));

        var report = _registry.Find("web-01", "kmem");
        Assert.NotNull(report);
        Assert.Equal("restarting", report.Status.State);
        Assert.Equal(1.5, report.Cost?.TracerCpuPercent);
        Assert.Equal(T0, report.CostAtUnixMs);
    }

    [Fact]
    public void Report_FreshCostSameState_ReplacesTheOldCost()
    {
        _registry.Report("web-01", Status("running", T0, Cost(tracerCpu: 1.5)));

        _registry.Report("web-01", Status("running", T0 + 5000, Cost(tracerCpu: 0.25)));

        var report = _registry.Find("web-01", "kmem");
        Assert.Equal((0.25, T0 + 5000), (report?.Cost?.TracerCpuPercent, report?.CostAtUnixMs));
        Assert.Single(_registry.All());
    }

    [Fact]
    public void Report_NeverACost_CostNull()
    {
        _registry.Report("web-01", Status("running", T0, cost: null));

        Assert.Null(_registry.Find("web-01", "kmem")?.Cost);
    }

    [Fact]
    public void RetryAtUnixMs_SuspendedWithARetryTime_ThatTime()
    {
        var status = Status("suspended", T0, Cost(tracerCpu: 9));
        status.RetryAtUnixMs = T0 + 300_000;

        _registry.Report("web-01", status);

        Assert.Equal(T0 + 300_000, _registry.Find("web-01", "kmem")?.RetryAtUnixMs);
    }

    [Theory]
    [InlineData("running", T0 + 300_000)]
    [InlineData("suspended", 0)]
    public void RetryAtUnixMs_NotSuspendedOrNotSaid_Null(string state, long retryAt)
    {
        var status = Status(state, T0, cost: null);
        status.RetryAtUnixMs = retryAt;

        _registry.Report("web-01", status);

        Assert.Null(_registry.Find("web-01", "kmem")?.RetryAtUnixMs);
    }

    [Fact]
    public void Forget_HostWithACost_CostGoneWithItsStatus()
    {
        _registry.Report("web-01", Status("running", T0, Cost(tracerCpu: 1)));

        _registry.Forget("web-01");
        _registry.Report("web-01", Status("starting", T0 + 1000, cost: null));

        Assert.Null(_registry.Find("web-01", "kmem")?.Cost);
    }

    internal static ProbeCost Cost(double tracerCpu) => new()
    {
        WindowMs = 5000,
        TracerCpuPercent = tracerCpu,
        TracerRssBytes = 48_000_000,
        EventsPerSecond = 1200,
        OutputBytesPerSecond = 900,
        BudgetCpuPercent = 5,
    };

    private static ProbeStatus Status(string state, long atUnixMs, ProbeCost? cost) =>
        new() { Probe = "kmem", State = state, AtUnixMs = atUnixMs, Cost = cost };
}
