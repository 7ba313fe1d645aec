using Tracefleet.Agent.Costs;

namespace Tracefleet.Agent.Tests.Costs;

public class MeasuredCostTests
{
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    [Fact]
    public void Between_TwoSamples_GivesPercentOfOneCoreAndRatesPerSecond()
    {
        var before = new CostSample(42, CpuTicks: 1000, RssBytes: 80_000_000, BpfRunTimeNs: 5_000_000, BpfRunCount: 1000, BpfPrograms: 2);
        // 30 ticks = 0.3 s of CPU, 0.2 s in BPF programs over 50 000 runs, in 10 s.
        var after = before with { CpuTicks = 1030, RssBytes = 90_000_000, BpfRunTimeNs = 205_000_000, BpfRunCount = 51_000 };

        var cost = MeasuredCost.Between(before, after, TenSeconds, kernelTimeKnown: true, events: 2500, outputBytes: 4096, budgetCpuPercent: 2);

        Assert.Equal(3.0, cost.TracerCpuPercent, 9);
        Assert.Equal(90_000_000, cost.TracerRssBytes);
        Assert.Equal(2.0, cost.KernelCpuPercent, 9);
        Assert.Equal(5000, cost.KernelRunsPerSecond, 9);
        Assert.Equal(250, cost.EventsPerSecond, 9);
        Assert.Equal(409.6, cost.OutputBytesPerSecond, 9);
        Assert.Equal(5.0, cost.CpuPercent, 9);
        Assert.Equal(2, cost.BudgetCpuPercent);
    }

    [Fact]
    public void Between_KernelTimeUnknown_KernelFiguresZeroAndNotBudgeted()
    {
        var before = new CostSample(42, 0, 1, 0, 0, 1);
        var after = before with { CpuTicks = 10, BpfRunTimeNs = 9_000_000_000, BpfRunCount = 7 };

        var cost = MeasuredCost.Between(before, after, TenSeconds, kernelTimeKnown: false, events: 0, outputBytes: 0, budgetCpuPercent: 2);

        Assert.False(cost.KernelTimeKnown);
        Assert.Equal(0, cost.KernelCpuPercent);
        Assert.Equal(0, cost.KernelRunsPerSecond);
        Assert.Equal(cost.TracerCpuPercent, cost.CpuPercent);
        Assert.Equal(1.0, cost.TracerCpuPercent, 9);
    }

    [Fact]
    public void Between_CountersWentBackwards_CountsZero()
    {
        // A program unloaded between the samples takes its counts with it.
        var before = new CostSample(42, 100, 1, 900, 90, 2);
        var after = before with { BpfRunTimeNs = 100, BpfRunCount = 10, BpfPrograms = 1 };

        var cost = MeasuredCost.Between(before, after, TenSeconds, kernelTimeKnown: true, events: 0, outputBytes: 0, budgetCpuPercent: 2);

        Assert.Equal(0, cost.KernelCpuPercent);
        Assert.Equal(0, cost.KernelRunsPerSecond);
        Assert.Equal(0, cost.TracerCpuPercent);
    }

    [Fact]
    public void Between_SamplesOfDifferentProcesses_Throws() =>
        Assert.Throws<ArgumentException>(() => MeasuredCost.Between(new CostSample(1, 0, 0, 0, 0, 0), new CostSample(2, 0, 0, 0, 0, 0), TenSeconds, true, 0, 0, 2));

    [Fact]
    public void Between_EmptyWindow_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MeasuredCost.Between(new CostSample(1, 0, 0, 0, 0, 0), new CostSample(1, 0, 0, 0, 0, 0), TimeSpan.Zero, true, 0, 0, 2));
}
