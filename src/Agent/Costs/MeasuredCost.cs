namespace Tracefleet.Agent.Costs;

/// <summary>
/// What one probe cost the host over <see cref="Window"/>, as <c>ProbeCost</c> carries it: CPU in percent of one core
/// (100 = one core busy), memory in bytes, rates per second. The kernel figures mean something only when
/// <see cref="KernelTimeKnown"/>.
/// </summary>
public sealed record MeasuredCost(
    TimeSpan Window,
    double TracerCpuPercent,
    long TracerRssBytes,
    bool KernelTimeKnown,
    double KernelCpuPercent,
    double KernelRunsPerSecond,
    double EventsPerSecond,
    double OutputBytesPerSecond,
    double BudgetCpuPercent)
{
    /// <summary>What the budget is held against: the tracer's CPU plus, where known, the time in its BPF programs.</summary>
    public double CpuPercent => TracerCpuPercent + (KernelTimeKnown ? KernelCpuPercent : 0);

    /// <summary>
    /// The cost between two samples of the same tracer, with the events and stdout bytes counted in between.
    /// Counters that went backwards (a program unloaded) count as zero; throws <see cref="ArgumentException"/> for
    /// samples of different processes or a window that is not positive.
    /// </summary>
    public static MeasuredCost Between(
        CostSample before,
        CostSample after,
        TimeSpan window,
        bool kernelTimeKnown,
        ulong events,
        long outputBytes,
        double budgetCpuPercent)
    {
        if (before.Pid != after.Pid)
        {
            throw new ArgumentException($"samples of different processes ({before.Pid}, {after.Pid})", nameof(after));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var seconds = window.TotalSeconds;
        var tracerSeconds = (double)Math.Max(0, after.CpuTicks - before.CpuTicks) / ProcStat.TicksPerSecond;
        var kernelNs = after.BpfRunTimeNs >= before.BpfRunTimeNs ? after.BpfRunTimeNs - before.BpfRunTimeNs : 0;
        var kernelRuns = after.BpfRunCount >= before.BpfRunCount ? after.BpfRunCount - before.BpfRunCount : 0;
        return new MeasuredCost(
            window,
            TracerCpuPercent: 100 * tracerSeconds / seconds,
            TracerRssBytes: after.RssBytes,
            kernelTimeKnown,
            KernelCpuPercent: kernelTimeKnown ? 100 * (kernelNs / 1e9) / seconds : 0,
            KernelRunsPerSecond: kernelTimeKnown ? kernelRuns / seconds : 0,
            EventsPerSecond: events / seconds,
            OutputBytesPerSecond: Math.Max(0, outputBytes) / seconds,
            budgetCpuPercent);
    }
}
