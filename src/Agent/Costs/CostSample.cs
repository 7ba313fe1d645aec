namespace Tracefleet.Agent.Costs;

/// <summary>
/// Running totals of a tracer's process tree at one moment: CPU so far in clock ticks (<see cref="ProcStat.TicksPerSecond"/>),
/// resident memory now in bytes, and the kernel's counters of the BPF programs it holds (time in ns, runs).
/// Two samples of the same tracer make a <see cref="MeasuredCost"/>.
/// </summary>
public readonly record struct CostSample(int Pid, long CpuTicks, long RssBytes, ulong BpfRunTimeNs, ulong BpfRunCount, int BpfPrograms);
