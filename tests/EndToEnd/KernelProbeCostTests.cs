using System.Text.Json;
using Tracefleet.EndToEnd.Infrastructure;

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

        var probe = await Eventually.WaitAsync(
            () => ReadProbeAsync(server, host),
            p => p is { State: "suspended" },
            TimeSpan.FromSeconds(60));

        Assert.True(probe is { State: "suspended" }, $"not suspended: {probe}\n{agent.Output}");
        Assert.StartsWith("suspended: ", probe.LastError, StringComparison.Ordinal);
        Assert.EndsWith("% of a core > 0.001% budget", probe.LastError, StringComparison.Ordinal);
        Assert.Contains("suspended: ", agent.Output, StringComparison.Ordinal);
    }

    private static async Task<ProbeDto?> ReadProbeAsync(ServerProcess server, string host)
    {
        using var response = await server.Http.GetAsync($"/api/hosts/{host}");
        return response.IsSuccessStatusCode
            ? JsonSerializer.Deserialize<HostDetailDto>(await response.Content.ReadAsStringAsync(), ServerProcess.Json)!.Probes.SingleOrDefault()
            : null;
    }

    private sealed record HostDetailDto(string Name, IReadOnlyList<ProbeDto> Probes);

    private sealed record ProbeDto(string Name, string? State, string? LastError);
}
