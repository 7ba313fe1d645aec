using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Tracefleet.Agent.Costs;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Probes.Descriptors;
using Tracefleet.Agent.Tests.Costs;
using Tracefleet.Agent.Tests.Support;

namespace Tracefleet.Agent.Tests.Probes;

/// <summary>
/// The built-in pagefaults and kmem probes through one real bpftrace on this machine's kernel, as the agent runs them
/// with <c>--merge-bpftrace on</c>. Needs root, bpftrace and tracefs; runs alone with the other bpftrace tests.
/// </summary>
[Collection(nameof(BpftraceCostTests))]
public sealed class SharedBpftraceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RunAsync_MergedPagefaultsAndKmem_OneBpftraceGivesIntervalsAndStatusesOfBoth()
    {
        Assert.True(Environment.UserName == "root", "the kernel test needs root (run ./scripts/test.sh as root)");
        Assert.True(Directory.Exists("/sys/kernel/tracing/events"), "tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing");
        var library = ProbeLibrary.Load(Fixtures.ProbeScriptsDir, null, NullLogger.Instance);
        var bpftrace = new BackendDecision(BackendChoice.Bpftrace, "/usr/bin/bpftrace", "test");
        ProbePlan Plan(string probe, string variant) =>
            ProbePlanner.Of(bpftrace, library.Probes[probe], library.Probes[probe].Variants.Single(v => v.Name == variant));
        var plans = BpftraceSharing.Share([Plan("pagefaults", "bpftrace/filemap"), Plan("kmem", "bpftrace/kmem-tracepoints")], BpftraceSharing.ReadPinned, out var notes);
        Assert.Empty(notes);
        var shared = Assert.Single(plans);
        using var stats = BpfStats.Enable(wanted: true);
        var intervals = Channel.CreateUnbounded<CompletedInterval>();
        var probe = new TracerProbe(shared, intervals.Writer, NullLogger.Instance) { KernelTimeKnown = () => stats.KernelTimeKnown };
        using var stop = new CancellationTokenSource();
        var running = probe.RunAsync(once: false, stop.Token);
        try
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var waited = Stopwatch.StartNew();
            // Starting processes maps their files (page faults) and allocates from named slab caches (kmem).
            while (!(seen.GetValueOrDefault("pagefaults") >= 2 && seen.GetValueOrDefault("kmem") >= 2))
            {
                Assert.True(waited.Elapsed < Timeout, $"intervals seen within {Timeout.TotalSeconds} s: {string.Join(", ", seen)}; health {probe.Health}");
                await StartSomeProcessesAsync();
                while (intervals.Reader.TryRead(out var interval))
                {
                    if (interval.Interval.Rows.Count > 0)
                    {
                        seen[interval.Interval.Probe.Name] = seen.GetValueOrDefault(interval.Interval.Probe.Name) + 1;
                    }
                }
            }

            Assert.Equal(1, MergedBpftraceChildren());
            // Two samples make a measured window; the third start of processes makes events to count in it.
            probe.MeasureCost();
            await StartSomeProcessesAsync();
            await Task.Delay(TimeSpan.FromSeconds(2.5)).WaitAsync(Timeout);
            Assert.NotNull(probe.MeasureCost());
            var statuses = probe.Statuses().ToList();

            Assert.Equal(["pagefaults", "kmem"], statuses.Select(s => s.Health.Probe.Name));
            Assert.Equal(["bpftrace/filemap (shared bpftrace)", "bpftrace/kmem-tracepoints (shared bpftrace)"], statuses.Select(s => s.Variant));
            Assert.All(statuses, s => Assert.Equal(ProbeState.Running, s.Health.State));
            Assert.All(statuses, s => Assert.True(s.LinesSoFar > 0));
            // The process's CPU and memory are reported whole on each probe; the events are each probe's own.
            Assert.Equal(statuses[0].Health.Cost!.TracerRssBytes, statuses[1].Health.Cost!.TracerRssBytes);
            Assert.True(statuses[0].Health.Cost!.TracerRssBytes > 0);
            Assert.True(statuses[1].Health.Cost!.EventsPerSecond > 0, $"{statuses[1].Health.Cost}");
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(Timeout);
        }
    }

    private static async Task StartSomeProcessesAsync()
    {
        for (var i = 0; i < 20; i++)
        {
            using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "ls /usr/bin > /dev/null"])) ?? throw new InvalidOperationException("sh did not start");
            await process.WaitForExitAsync().WaitAsync(Timeout);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500)).WaitAsync(Timeout);
    }

    /// <summary>This process's bpftrace children running a merged program (its first comment names what it merged).</summary>
    private static int MergedBpftraceChildren()
    {
        var count = 0;
        foreach (var dir in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
                var command = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (parent == Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
                    && command.StartsWith("/usr/bin/bpftrace\0", StringComparison.Ordinal)
                    && command.Contains("/* Merged from pfstat.bt, kmemstat.bt. */", StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read.
            }
        }

        return count;
    }
}
