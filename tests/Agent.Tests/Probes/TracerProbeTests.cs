using Tracefleet.TestSupport;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Tracefleet.Agent.Costs;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Probes.Descriptors;
using Tracefleet.Agent.Processes;
using Tracefleet.Agent.Tests.Support;

namespace Tracefleet.Agent.Tests.Probes;

/// <summary>TracerProbe running real child processes: fake tracers that print captures.</summary>
[Collection(FakeTracersDefinition.Name)]
public class TracerProbeTests(FakeTracers fakes)
{
    // Real child processes: a busy 2-core machine can take seconds to start one.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("pagefaults", "stap", "linux-stap-pfstat.txt")]
    [InlineData("kmem", "dtrace", "solaris-dtrace-kmemstat.txt")]
    public async Task RunAsync_OnceWithTracerPrintingCapture_TotalsEqualTheCapture(string probeName, string tracer, string capture)
    {
        var probe = ProbeCatalogue.Find(probeName)!;
        var executable = tracer == "stap" ? fakes.Stap : fakes.Dtrace;
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var tracerProbe = new TracerProbe(new ProbePlan(probe, executable, [], "fake", ""), channel.Writer, NullLogger.Instance);

        var exitCode = await tracerProbe.RunAsync(once: true, CancellationToken.None).WaitAsync(Timeout);

        var intervals = Drain(channel);
        var expected = NaiveCapture.Read(Fixtures.Capture(capture), DevInodeKey.Format);
        Assert.Equal(0, exitCode);
        Assert.Equal(ProbeState.Finished, tracerProbe.Health.State);
        Assert.Equal(0, tracerProbe.Health.MalformedLines);
        Assert.All(intervals, i => Assert.Equal(probe, i.Interval.Probe));
        // A table split by a quiet-period flush still adds up; fewer intervals than headers would mean a lost table.
        Assert.True(intervals.Count >= expected.Count, $"{intervals.Count} intervals for {expected.Count} tables");
        Assert.Equal(
            IntervalReading.Totals(expected.SelectMany(i => i.Select(kv => IntervalReading.Reference(kv.Key, kv.Value)))),
            IntervalReading.Totals(intervals.SelectMany(i => i.Interval.Rows)));
    }

    [Fact]
    public async Task RunAsync_SharedTracerPrintingTwoProbesTables_IntervalsAndStatusesOfEachProbe()
    {
        // One process, as a shared bpftrace prints at one tick: pagefaults' table, then kmem's, twice.
        const string Tables = "printf 'Attaching 9 probes...\\n"
            + "  FAULTS VMFILE\\n       5 libc.so.6\\n       2 ld.so\\n   ALLOCS    FREES SLAB\\n       3        2 dentry\\n"
            + "  FAULTS VMFILE\\n       1 libc.so.6\\n   ALLOCS    FREES SLAB\\n       4        1 dentry\\n       7        7 filp\\n'";
        var pagefaults = new ProbePlan(ProbeCatalogue.PageFaults, "/bin/sh", [], "fake/pf (shared bpftrace)", "pf limits");
        var kmem = new ProbePlan(ProbeCatalogue.Kmem, "/bin/sh", [], "fake/kmem (shared bpftrace)", "kmem limits");
        var shared = new ProbePlan(ProbeCatalogue.PageFaults, "/bin/sh", ["-c", Tables], "shared bpftrace", "") { Members = [pagefaults, kmem] };
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var tracerProbe = new TracerProbe(shared, channel.Writer, NullLogger.Instance);

        var exitCode = await tracerProbe.RunAsync(once: true, CancellationToken.None).WaitAsync(Timeout);

        var rows = Drain(channel).GroupBy(i => i.Interval.Probe.Name).ToDictionary(g => g.Key, g => IntervalReading.Totals(g.SelectMany(i => i.Interval.Rows)));
        Assert.Equal(0, exitCode);
        Assert.Equal([new ParsedRow("ld.so", [2]), new ParsedRow("libc.so.6", [6])], rows["pagefaults"].OrderBy(r => r.Key, StringComparer.Ordinal));
        Assert.Equal([new ParsedRow("dentry", [7, 3]), new ParsedRow("filp", [7, 7])], rows["kmem"].OrderBy(r => r.Key, StringComparer.Ordinal));
        var statuses = tracerProbe.Statuses().ToList();
        Assert.Equal([ProbeCatalogue.PageFaults, ProbeCatalogue.Kmem], statuses.Select(s => s.Health.Probe));
        Assert.Equal(["fake/pf (shared bpftrace)", "fake/kmem (shared bpftrace)"], statuses.Select(s => s.Variant));
        Assert.All(statuses, s => Assert.Equal(ProbeState.Finished, s.Health.State));
        // Each probe's lines are its headers and rows; "Attaching" is before any table and counts for neither.
        Assert.Equal([5L, 5L], statuses.Select(s => s.LinesSoFar));
        Assert.Equal(11, tracerProbe.Lines);
    }

    [Fact]
    public async Task RunAsync_TracerPrintingHostileNames_SameRowsAsTheCaptureFile()
    {
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var tracerProbe = new TracerProbe(new ProbePlan(ProbeCatalogue.PageFaults, fakes.SyntheticStap, [], "fake", ""), channel.Writer, NullLogger.Instance);

        var exitCode = await tracerProbe.RunAsync(once: true, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(0, exitCode);
        Assert.Equal(0, tracerProbe.Health.MalformedLines);
        Assert.Equal(
            IntervalReading.Totals(SyntheticCaptures.StapPfstatIntervals.SelectMany(i => i)),
            IntervalReading.Totals(Drain(channel).SelectMany(i => i.Interval.Rows)));
    }

    [Fact]
    public async Task RunAsync_TracerKilledMidWrite_CutLineCountedCompleteRowsKept()
    {
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var tracerProbe = new TracerProbe(new ProbePlan(ProbeCatalogue.PageFaults, fakes.KilledMidWrite, [], "fake", ""), channel.Writer, NullLogger.Instance);

        await tracerProbe.RunAsync(once: true, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal([new ParsedRow("libc.so.6", [5])], IntervalReading.Totals(Drain(channel).SelectMany(i => i.Interval.Rows)));
        Assert.Equal(1, tracerProbe.Health.MalformedLines);
    }

    [Fact]
    public async Task RunAsync_TracerExitingWithError_RestartedAndErrorKeptWithoutNoise()
    {
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var tracerProbe = new TracerProbe(
            new ProbePlan(ProbeCatalogue.PageFaults, fakes.Failing, [], "fake", ""),
            channel.Writer,
            NullLogger.Instance,
            new RestartPolicy(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100)));
        var restartedTwice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var states = new List<ProbeState>();
        tracerProbe.HealthChanged += health =>
        {
            lock (states)
            {
                states.Add(health.State);
            }

            if (health.Restarts >= 2)
            {
                restartedTwice.TrySetResult();
            }
        };
        using var stop = new CancellationTokenSource();

        var run = tracerProbe.RunAsync(once: false, stop.Token);
        await restartedTwice.Task.WaitAsync(Timeout);
        await stop.CancelAsync().WaitAsync(Timeout);
        await IgnoreCancellation(run).WaitAsync(Timeout);

        Assert.True(tracerProbe.Health.Restarts >= 2);
        Assert.Contains("semantic error: no match for probe", tracerProbe.Health.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("RLIMIT_MEMLOCK", tracerProbe.Health.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", tracerProbe.Health.LastError, StringComparison.Ordinal);
        lock (states)
        {
            Assert.Contains(ProbeState.Restarting, states);
        }

        // Each run's table still got through before the tracer died.
        var tables = Drain(channel);
        Assert.True(tables.Count >= 2, $"{tables.Count} tables");
        Assert.All(tables, t => Assert.Equal([new ParsedRow("libc.so.6", [5])], t.Interval.Rows));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("not-executable")]
    public async Task RunAsync_OnceWithTracerThatCannotStart_FailsSayingSo(string which)
    {
        var executable = which == "missing" ? fakes.Missing : fakes.NotExecutable;
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var tracerProbe = new TracerProbe(new ProbePlan(ProbeCatalogue.Kmem, executable, [], "fake", ""), channel.Writer, NullLogger.Instance);

        var exitCode = await tracerProbe.RunAsync(once: true, CancellationToken.None).WaitAsync(Timeout);

        Assert.NotEqual(0, exitCode);
        Assert.Equal(ProbeState.Failed, tracerProbe.Health.State);
        Assert.Contains("cannot start", tracerProbe.Health.LastError, StringComparison.Ordinal);
        Assert.Contains(executable, tracerProbe.Health.LastError, StringComparison.Ordinal);
        Assert.Empty(Drain(channel));
    }

    [Fact]
    public async Task RunAsync_TracerQuietAfterATable_TableFlushedWhileTracerStillRuns()
    {
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var tracerProbe = new TracerProbe(new ProbePlan(ProbeCatalogue.Kmem, fakes.Quiet, [], "fake", ""), channel.Writer, NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        var run = tracerProbe.RunAsync(once: true, stop.Token);
        var table = await channel.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

        Assert.False(run.IsCompleted, "the table should arrive by the quiet-period flush, not at exit");
        Assert.Equal(ProbeState.Running, tracerProbe.Health.State);
        Assert.Equal([new ParsedRow("dentry", [3, 2]), new ParsedRow("filp", [1, 0])], IntervalReading.Sorted(table.Interval));

        await stop.CancelAsync().WaitAsync(Timeout);
        var exitCode = await run.WaitAsync(Timeout);

        Assert.Equal(0, exitCode);
        Assert.Equal(ProbeState.Finished, tracerProbe.Health.State);
        Assert.False(channel.Reader.TryRead(out _), "the table must not be sent twice");
    }

    [Fact]
    public async Task RunAsync_PlanFromHostWithOnlyFakeStap_RunsItAndParsesItsTables()
    {
        // HostFacts as Executables.Find would build them from PATH=fakes.Bin (PATH itself is process-global).
        var facts = new HostFacts(Bpftrace: null, Stap: Path.Combine(fakes.Bin, "stap"), Dtrace: null, IsRoot: false, TracefsMounted: false);
        var decision = BackendSelector.Choose(BackendChoice.Auto, facts);
        var library = ProbeLibrary.Load(Fixtures.ProbeScriptsDir, null, NullLogger.Instance);
        var (plan, problem) = await ProbePlanner.PlanAsync(decision, library.Probes["pagefaults"], (_, _) => Task.FromResult(false), CancellationToken.None);
        Assert.True(plan is not null, problem);
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var tracerProbe = new TracerProbe(plan, channel.Writer, NullLogger.Instance);

        var exitCode = await tracerProbe.RunAsync(once: true, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(BackendChoice.Stap, decision.Backend);
        Assert.Equal(fakes.Stap, plan.Executable);
        Assert.Equal([Path.Combine(Fixtures.ProbeScriptsDir, "stap", "pfstat.stp")], plan.Arguments);
        Assert.Equal(0, exitCode);
        var expected = NaiveCapture.Read(Fixtures.Capture("linux-stap-pfstat.txt"), DevInodeKey.Format);
        Assert.Equal(
            IntervalReading.Totals(expected.SelectMany(i => i.Select(kv => IntervalReading.Reference(kv.Key, kv.Value)))),
            IntervalReading.Totals(Drain(channel).SelectMany(i => i.Interval.Rows)));
    }

    [Fact]
    public async Task RunAsync_TracerPrintingCapture_EventsSumTheFirstColumnAndOutputBytesAreTheFile()
    {
        var capture = Fixtures.Capture("solaris-dtrace-kmemstat.txt");
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var tracerProbe = new TracerProbe(new ProbePlan(ProbeCatalogue.Kmem, fakes.Dtrace, [], "fake", ""), channel.Writer, NullLogger.Instance);

        await tracerProbe.RunAsync(once: true, CancellationToken.None).WaitAsync(Timeout);

        var allocs = NaiveCapture.Read(capture, DevInodeKey.Format).SelectMany(i => i.Values).Aggregate(0UL, (sum, counts) => sum + counts.First);
        Assert.True(allocs > 0);
        Assert.Equal((long)allocs, tracerProbe.Events);
        Assert.Equal(new FileInfo(capture).Length, tracerProbe.OutputBytes);
    }

    [Fact]
    public async Task MeasureCost_RunningTracer_FirstSampleOnlyStartsTheWindowThenCostInHealth()
    {
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var tracerProbe = new TracerProbe(new ProbePlan(ProbeCatalogue.Kmem, fakes.Quiet, [], "fake", ""), channel.Writer, NullLogger.Instance)
        {
            Budget = new CpuBudget(50),
        };
        using var stop = new CancellationTokenSource();
        var run = tracerProbe.RunAsync(once: false, stop.Token);
        await WaitForStateAsync(tracerProbe, ProbeState.Running);

        var first = tracerProbe.MeasureCost();
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var second = tracerProbe.MeasureCost();

        await stop.CancelAsync();
        await IgnoreCancellation(run).WaitAsync(Timeout);
        Assert.Null(first);
        Assert.NotNull(second);
        Assert.Same(second, tracerProbe.Health.Cost);
        Assert.True(second.TracerRssBytes > 0, $"RSS {second.TracerRssBytes}");
        Assert.True(second.TracerCpuPercent >= 0);
        Assert.False(second.KernelTimeKnown);
        Assert.Equal(50, second.BudgetCpuPercent);
        Assert.Equal(ProbeState.Finished, tracerProbe.Health.State);
    }

    [Fact]
    public async Task MeasureCost_SharedBusyTracerOverBudget_EveryProbeSuspendedSayingItShared()
    {
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var plan = new ProbePlan(ProbeCatalogue.Kmem, fakes.Busy, [], "shared bpftrace", "")
        {
            Members = [new ProbePlan(ProbeCatalogue.PageFaults, fakes.Busy, [], "fake/pf (shared bpftrace)", ""), new ProbePlan(ProbeCatalogue.Kmem, fakes.Busy, [], "fake/kmem (shared bpftrace)", "")],
        };
        var tracerProbe = new TracerProbe(plan, channel.Writer, NullLogger.Instance)
        {
            Budget = new CpuBudget(0.5, windowsOver: 1, firstRetry: CpuBudget.MaxRetry),
        };
        var suspended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracerProbe.HealthChanged += health =>
        {
            if (health.State == ProbeState.Suspended)
            {
                suspended.TrySetResult();
            }
        };
        using var stop = new CancellationTokenSource();
        var run = tracerProbe.RunAsync(once: false, stop.Token);
        await WaitForStateAsync(tracerProbe, ProbeState.Running);

        Assert.Null(tracerProbe.MeasureCost());
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var cost = tracerProbe.MeasureCost();
        await suspended.Task.WaitAsync(Timeout);
        var statuses = tracerProbe.Statuses().ToList();

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
        Assert.NotNull(cost);
        Assert.Equal([ProbeCatalogue.PageFaults, ProbeCatalogue.Kmem], statuses.Select(s => s.Health.Probe));
        Assert.All(statuses, s =>
        {
            Assert.Equal(ProbeState.Suspended, s.Health.State);
            Assert.StartsWith("suspended: ", s.Health.LastError, StringComparison.Ordinal);
            Assert.EndsWith("% budget (one bpftrace runs pagefaults, kmem: held to their budgets together, and all are suspended)", s.Health.LastError, StringComparison.Ordinal);
            Assert.Equal(cost.TracerRssBytes, s.Health.Cost?.TracerRssBytes);
        });
    }

    [Fact]
    public async Task MeasureCost_BusyTracerOverBudget_StoppedAndSuspendedWithRetryTime()
    {
        var channel = Channel.CreateUnbounded<CompletedInterval>();
        var tracerProbe = new TracerProbe(new ProbePlan(ProbeCatalogue.Kmem, fakes.Busy, [], "fake", ""), channel.Writer, NullLogger.Instance)
        {
            Budget = new CpuBudget(0.5, windowsOver: 1, firstRetry: CpuBudget.MaxRetry),
        };
        var suspended = new TaskCompletionSource<ProbeHealth>(TaskCreationOptions.RunContinuationsAsynchronously);
        tracerProbe.HealthChanged += health =>
        {
            if (health.State == ProbeState.Suspended)
            {
                suspended.TrySetResult(health);
            }
        };
        using var stop = new CancellationTokenSource();
        var run = tracerProbe.RunAsync(once: false, stop.Token);
        await WaitForStateAsync(tracerProbe, ProbeState.Running);

        Assert.Null(tracerProbe.MeasureCost());
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var cost = tracerProbe.MeasureCost();
        var health = await suspended.Task.WaitAsync(Timeout);

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
        Assert.NotNull(cost);
        Assert.True(cost.CpuPercent > 0.5, $"{cost.CpuPercent}% of a core");
        Assert.StartsWith("suspended: ", health.LastError, StringComparison.Ordinal);
        Assert.EndsWith("% of a core > 0.5% budget", health.LastError, StringComparison.Ordinal);
        Assert.NotNull(health.RetryAt);
        Assert.True(health.RetryAt > DateTimeOffset.UtcNow.AddMinutes(25));
        Assert.Equal(0, health.Restarts);
        // Nothing runs while the probe waits for its retry, and stopping the agent leaves it suspended.
        Assert.Null(tracerProbe.MeasureCost());
        Assert.Equal(ProbeState.Suspended, tracerProbe.Health.State);
    }

    private static async Task WaitForStateAsync(TracerProbe probe, ProbeState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.HealthChanged += health =>
        {
            if (health.State == state)
            {
                reached.TrySetResult();
            }
        };
        if (probe.Health.State == state)
        {
            return;
        }

        await reached.Task.WaitAsync(Timeout);
    }

    private static List<CompletedInterval> Drain(Channel<CompletedInterval> channel)
    {
        var intervals = new List<CompletedInterval>();
        while (channel.Reader.TryRead(out var interval))
        {
            intervals.Add(interval);
        }

        return intervals;
    }

    private static async Task IgnoreCancellation(Task<int> run)
    {
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // Cancelled between runs (in the restart delay) rather than during one.
        }
    }
}
