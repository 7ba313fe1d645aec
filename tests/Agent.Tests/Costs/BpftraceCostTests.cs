using System.Diagnostics;
using System.Threading.Channels;
using Tracefleet.Agent.Costs;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Tests.Support;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Tests.Costs;

/// <summary>
/// The real thing: bpftrace on this machine's kernel while a syscall-heavy loop (<c>dd</c> copying one byte at a time)
/// hits its probe. Needs root, bpftrace and tracefs, which <c>scripts/test.sh</c> installs and mounts.
/// The tests share one machine-wide switch (BPF statistics) and load the CPU, so they run one at a time.
/// </summary>
[Collection(nameof(BpftraceCostTests))]
[CollectionDefinition(nameof(BpftraceCostTests), DisableParallelization = true)]
public sealed class BpftraceCostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    // Counts every syscall of every process by name, pid and syscall number, and prints the map once a second: a
    // map update per syscall, a few hundred nanoseconds each, millions a second while dd runs.
    private const string SyscallCounter =
        "tracepoint:raw_syscalls:sys_enter { @calls[comm, pid, args->id] = count(); } interval:s:1 { print(@calls, 5); clear(@calls); }";

    [Fact]
    public async Task Read_RunningBpftraceWhileLoopHitsItsProbe_RssCpuAndKernelRunsMeasured()
    {
        RequireKernelTracing();
        using var stats = BpfStats.Enable(wanted: true);
        Assert.True(stats.KernelTimeKnown, stats.Description);
        using var tracer = StartBpftrace(SyscallCounter);
        CostSample? before, after;
        Stopwatch watch;
        try
        {
            await WaitForAttachAsync(tracer);
            before = ProcessCostReader.Read(tracer.Id);
            watch = Stopwatch.StartNew();
            await RunSyscallLoopAsync(bytes: 200_000);
            after = ProcessCostReader.Read(tracer.Id);
        }
        finally
        {
            // Disposing a Process does not end it: left running, this tracer counted every syscall of the machine for
            // the rest of the suite (one more bpftrace per run, found still running hours later).
            tracer.Kill();
            await tracer.WaitForExitAsync().WaitAsync(Timeout);
        }

        Assert.NotNull(before);
        Assert.NotNull(after);
        var cost = MeasuredCost.Between(before.Value, after.Value, watch.Elapsed, stats.KernelTimeKnown, 0, 0, 2);
        Assert.True(after.Value.RssBytes > 0, $"RSS {after.Value.RssBytes}");
        Assert.True(after.Value.CpuTicks >= before.Value.CpuTicks);
        Assert.True(cost.TracerCpuPercent >= 0);
        // bpftrace loads one program per probe: the tracepoint's and the interval's.
        Assert.True(after.Value.BpfPrograms >= 2, $"{after.Value.BpfPrograms} BPF programs");
        // dd made two syscalls per byte, each a run of the tracepoint's program.
        Assert.True(after.Value.BpfRunCount - before.Value.BpfRunCount >= 400_000, $"{after.Value.BpfRunCount - before.Value.BpfRunCount} runs");
        Assert.True(after.Value.BpfRunTimeNs > before.Value.BpfRunTimeNs);
        Assert.True(cost.KernelRunsPerSecond > 0);
        Assert.True(cost.KernelCpuPercent > 0);
    }

    [Fact]
    public async Task RunAsync_ExpensiveProbeOverLowBudget_SuspendedWithItsCostAndTracerStopped()
    {
        RequireKernelTracing();
        using var stats = BpfStats.Enable(wanted: true);
        var logger = new CapturingLogger();
        var (probe, board) = Probe(new CpuBudget(0.5, windowsOver: 2, firstRetry: CpuBudget.MaxRetry), stats, logger);
        using var stop = new CancellationTokenSource();
        var running = probe.RunAsync(once: false, stop.Token);
        var windows = CostWindows.RunAsync([probe], board, Window, stop.Token);
        using var loop = StartSyscallLoop();
        try
        {
            var status = await WaitForStatusAsync(board, s => s.State == "suspended");

            Assert.StartsWith("suspended: ", status.LastError, StringComparison.Ordinal);
            Assert.EndsWith("% of a core > 0.5% budget", status.LastError, StringComparison.Ordinal);
            Assert.True(status.RetryAtUnixMs > DateTimeOffset.UtcNow.AddMinutes(25).ToUnixTimeMilliseconds(), $"retry at {status.RetryAtUnixMs}");
            Assert.NotNull(status.Cost);
            Assert.True(status.Cost.KernelTimeKnown);
            Assert.True(status.Cost.KernelRunsPerSecond > 0);
            Assert.True(status.Cost.TracerCpuPercent + status.Cost.KernelCpuPercent > 0.5, $"{status.Cost}");
            Assert.Equal(0.5, status.Cost.BudgetCpuPercent);
            Assert.Contains(logger.Entries.ToList(), e => e.TryGetValue("Reason", out var reason) && reason is string text && text.StartsWith("suspended: ", StringComparison.Ordinal));
            // The tracer is gone: nothing is measured while the probe waits for its retry.
            Assert.Null(probe.MeasureCost());
        }
        finally
        {
            loop.Kill();
            await stop.CancelAsync();
            await running.WaitAsync(Timeout);
            await windows.WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task RunAsync_SameProbeUnderGenerousBudget_KeepsRunningWithCostEveryWindow()
    {
        RequireKernelTracing();
        using var stats = BpfStats.Enable(wanted: true);
        // The loop keeps one core busy, so whatever the probe adds stays well under two cores.
        var (probe, board) = Probe(new CpuBudget(200, windowsOver: 2, firstRetry: CpuBudget.MaxRetry), stats, new CapturingLogger());
        using var stop = new CancellationTokenSource();
        var running = probe.RunAsync(once: false, stop.Token);
        var windows = CostWindows.RunAsync([probe], board, Window, stop.Token);
        using var loop = StartSyscallLoop();
        try
        {
            // Four measured windows: twice as many as would have suspended it over budget.
            var seen = new List<ProbeCost>();
            await WaitForStatusAsync(board, s =>
            {
                if (s.Cost is { } cost && !seen.Contains(cost))
                {
                    seen.Add(cost);
                }

                return seen.Count >= 4;
            });

            Assert.Equal(ProbeState.Running, probe.Health.State);
            Assert.All(seen, cost => Assert.True(cost.KernelTimeKnown && cost.TracerRssBytes > 0));
            Assert.Contains(seen, cost => cost.KernelRunsPerSecond > 0);
            Assert.Equal(0, board.Read().Statuses.Single().RetryAtUnixMs);
        }
        finally
        {
            loop.Kill();
            await stop.CancelAsync();
            await running.WaitAsync(Timeout);
            await windows.WaitAsync(Timeout);
        }
    }

    private static (TracerProbe Probe, ProbeStatusBoard Board) Probe(CpuBudget budget, BpfStats stats, CapturingLogger logger)
    {
        var board = new ProbeStatusBoard(TimeProvider.System);
        var probe = new TracerProbe(
            new ProbePlan(ProbeCatalogue.PageFaults, "/usr/bin/bpftrace", ["-e", SyscallCounter], "cost-test", ""),
            Channel.CreateUnbounded<CompletedInterval>().Writer,
            logger)
        {
            Budget = budget,
            KernelTimeKnown = () => stats.KernelTimeKnown,
        };
        probe.HealthChanged += health => board.Update(health, probe.Plan.Variant, probe.Lines);
        return (probe, board);
    }

    private static async Task<ProbeStatus> WaitForStatusAsync(ProbeStatusBoard board, Func<ProbeStatus, bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Timeout)
        {
            var change = board.NextChange();
            if (board.Read().Statuses.SingleOrDefault() is { } status && condition(status))
            {
                return status;
            }

            await Task.WhenAny(change, Task.Delay(TimeSpan.FromMilliseconds(500)));
        }

        Assert.Fail($"no such status within {Timeout.TotalSeconds} s; last: {board.Read().Statuses.SingleOrDefault()}");
        return null!;
    }

    private static void RequireKernelTracing()
    {
        Assert.True(Environment.UserName == "root", "the kernel test needs root (run ./scripts/test.sh as root)");
        Assert.True(File.Exists("/usr/bin/bpftrace"), "bpftrace is missing: ./scripts/test.sh installs it");
        Assert.True(Directory.Exists("/sys/kernel/tracing/events"), "tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing");
    }

    private static Process StartBpftrace(string script)
    {
        var start = new ProcessStartInfo("/usr/bin/bpftrace", ["-e", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        return Process.Start(start) ?? throw new InvalidOperationException("bpftrace did not start");
    }

    /// <summary>bpftrace prints "Attaching N probes..." once its programs are loaded and attached.</summary>
    private static async Task WaitForAttachAsync(Process tracer)
    {
        _ = tracer.StandardError.ReadToEndAsync();
        while (await tracer.StandardOutput.ReadLineAsync().WaitAsync(Timeout) is { } line)
        {
            if (line.StartsWith("Attaching", StringComparison.Ordinal))
            {
                // The rest of its output is read and thrown away, so it never blocks on a full pipe.
                _ = tracer.StandardOutput.ReadToEndAsync();
                return;
            }
        }

        Assert.Fail("bpftrace ended without attaching its probes");
    }

    /// <summary>A read and a write syscall per byte.</summary>
    private static async Task RunSyscallLoopAsync(int bytes)
    {
        using var dd = SyscallLoop(bytes);
        await dd.WaitForExitAsync().WaitAsync(Timeout);
        Assert.Equal(0, dd.ExitCode);
    }

    private static Process StartSyscallLoop() => SyscallLoop(bytes: int.MaxValue);

    private static Process SyscallLoop(int bytes) =>
        Process.Start(new ProcessStartInfo("dd", ["if=/dev/zero", "of=/dev/null", "bs=1", $"count={bytes}"]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("dd did not start");
}
