using System.Diagnostics;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd;

/// <summary>
/// The budget on the real kernel, with two user probes that print the same table: <c>syscalls</c> (the shipped example)
/// and <c>expensive</c> (the tests' own, 64 map updates per system call on purpose), under a steady load of system calls
/// and one budget. The expensive one is stopped and shows why, in the open; the cheap one keeps running, its cost
/// reported under the budget. Needs root, bpftrace and tracefs, as <see cref="KernelProbeTests"/>.
/// </summary>
public sealed class ProbeBudgetTests
{
    /// <summary>
    /// % of a core. Measured on an idle machine at ~28,000 system calls a second: expensive 32 %, syscalls 1.3 %; in a
    /// loaded CI run the machine's own calls took syscalls to 105,000 a second and 3.4 %. At 10 % the cheap probe stays
    /// under until ~300,000 calls a second, and the expensive one is over from ~9,000, below the test's own 20,000.
    /// </summary>
    private const double Budget = 10;

    [Fact]
    public async Task Bpftrace_ExpensiveAndCheapProbeUnderOneBudget_OnlyTheExpensiveOneSuspended()
    {
        KernelTracing.Require();

        var work = Directory.CreateTempSubdirectory("tracefleet-budget-").FullName;
        using var stopLoad = new CancellationTokenSource();
        var load = Task.Run(() => SystemCalls(20_000, stopLoad.Token));
        try
        {
            var probesDir = Directory.CreateDirectory(Path.Combine(work, "probes.d")).FullName;
            foreach (var file in new[] { "scripts/probes/examples/syscalls.bt", "scripts/probes/examples/syscalls.probe.yaml", "tests/fixtures/probes/expensive/expensive.bt", "tests/fixtures/probes/expensive/expensive.probe.yaml" })
            {
                var copy = Path.Combine(probesDir, Path.GetFileName(file));
                File.Copy(Path.Combine(RepoPaths.Root, file), copy);
                File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            var host = $"budget-{Guid.NewGuid():N}"[..20];
            await using var server = await ServerProcess.StartAsync();
            // Two-second windows: suspended after three, where the default would take half a minute.
            await using var agent = new ChildProcess(RepoPaths.Agent,
            [
                "--server", server.IngestUrl.ToString(), "--host", host, "--backend", "bpftrace", "--probes", "syscalls,expensive", "--probes-dir", probesDir,
                "--cost-window", "2s", "--max-probe-cpu", Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ]);

            var probes = await Poll.UntilAsync(
                () => ProbeStatuses.ReadAsync(server, host),
                p => p.FirstOrDefault(x => x.Name == "expensive") is { State: "suspended" },
                TimeSpan.FromSeconds(90));
            var expensive = probes.FirstOrDefault(p => p.Name == "expensive");
            Assert.True(expensive is { State: "suspended" }, $"not suspended: {expensive}\n{agent.Output}");
            Assert.Matches(@"^suspended: \d+(\.\d+)?% of a core > 10(\.0)?% budget$", expensive.LastError);
            Assert.NotNull(expensive.RetryAt);

            // Three more windows: had the cheap probe been over budget as long, it would be suspended too.
            await Task.Delay(TimeSpan.FromSeconds(7));
            var cheap = (await ProbeStatuses.ReadAsync(server, host)).Single(p => p.Name == "syscalls");
            Assert.True(cheap is { State: "running", Cost: not null }, $"{cheap}\n{agent.Output}");
            Assert.True(cheap.Cost.TracerCpuPercent + (cheap.Cost.KernelCpuPercent ?? 0) < Budget, $"{cheap.Cost}; expensive {expensive.LastError}");
            Assert.True(cheap.Cost.EventsPerSecond > 0, cheap.Cost.ToString());
            Assert.Contains("expensive: suspended: ", agent.Output, StringComparison.Ordinal);
        }
        finally
        {
            await stopLoad.CancelAsync();
            await load;
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>About <paramref name="perSecond"/> stat(2) calls a second until cancelled: the traffic both probes count.</summary>
    private static void SystemCalls(int perSecond, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long done = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (done < clock.Elapsed.TotalSeconds * perSecond)
            {
                _ = File.Exists("/nonexistent/tracefleet");
                done++;
            }
            else
            {
                Thread.Sleep(1);
            }
        }
    }
}
