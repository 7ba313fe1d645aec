using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd;

/// <summary>
/// The real thing: the agent runs the project's bpftrace kmem script under a budget no probe can keep, and the API
/// shows the probe suspended with what it cost. Needs root, bpftrace and tracefs, which <c>scripts/test.sh</c> installs
/// and mounts.
/// </summary>
public sealed class KernelProbeCostTests
{
    [Fact]
    public async Task Bpftrace_ProbeOverATinyBudget_ApiShowsItSuspendedWithItsCost()
    {
        KernelTracing.Require();
        var host = $"costly-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync();
        // One-second windows: suspended after three, where the default would take half a minute. Every kernel allocation
        // runs the probe's programs, and bpftrace's own CPU is more than a thousandth of a percent of a core.
        await using var agent = new ChildProcess(RepoPaths.Agent,
            ["--server", server.IngestUrl.ToString(), "--host", host, "--backend", "bpftrace", "--probes", "kmem", "--cost-window", "1s", "--max-probe-cpu", "0.001"]);

        var probe = await Poll.UntilAsync(
            async () => (await ProbeStatuses.ReadAsync(server, host)).SingleOrDefault(),
            p => p is { State: "suspended" },
            TimeSpan.FromSeconds(60));

        Assert.True(probe is { State: "suspended" }, $"not suspended: {probe}\n{agent.Output}");
        Assert.StartsWith("suspended: ", probe.LastError, StringComparison.Ordinal);
        Assert.EndsWith("% of a core > 0.001% budget", probe.LastError, StringComparison.Ordinal);
        Assert.Contains("suspended: ", agent.Output, StringComparison.Ordinal);
    }
}
