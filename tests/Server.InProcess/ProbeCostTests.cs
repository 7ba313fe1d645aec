using System.Net.Http.Json;
using System.Text.Json;
using Tracefleet.Contract.V1;
using Tracefleet.Server.InProcess.Infrastructure;

namespace Tracefleet.Server.InProcess;

/// <summary>
/// A probe's cost and a suspended probe, sent as the agent sends them (ProbeStatus on its ingest stream), as the host API
/// and /metrics show them.
/// </summary>
public sealed class ProbeCostTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private const string Host = "db-01";

    [Fact]
    public async Task Get_ProbeWithACostAndASuspendedOne_CostAndRetryTimeInTheHostAnswer()
    {
        var (at, retryAt) = await SendAsync();

        using var web = server.Web();
        var host = await web.GetFromJsonAsync<JsonElement>($"/api/hosts/{Host}").WaitAsync(InProcessAgent.Patience);

        var probes = host.GetProperty("probes").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        var running = probes["pagefaults"];
        Assert.Equal("running", running.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, running.GetProperty("retryAt").ValueKind);
        var cost = running.GetProperty("cost");
        Assert.Equal(1.5, cost.GetProperty("tracerCpuPercent").GetDouble());
        Assert.Equal(48_000_000, cost.GetProperty("tracerRssBytes").GetInt64());
        Assert.True(cost.GetProperty("kernelTimeKnown").GetBoolean());
        Assert.Equal(0.75, cost.GetProperty("kernelCpuPercent").GetDouble());
        Assert.Equal(1500, cost.GetProperty("kernelRunsPerSecond").GetDouble());
        Assert.Equal(1200, cost.GetProperty("eventsPerSecond").GetDouble());
        Assert.Equal(900, cost.GetProperty("outputBytesPerSecond").GetDouble());
        Assert.Equal(5, cost.GetProperty("budgetCpuPercent").GetDouble());
        Assert.Equal(5, cost.GetProperty("windowSeconds").GetDouble());
        Assert.Equal(at.UtcDateTime, cost.GetProperty("measuredAt").GetDateTime().ToUniversalTime());

        var suspended = probes["kmem"];
        Assert.Equal("suspended", suspended.GetProperty("state").GetString());
        Assert.Equal("suspended: 7.2% > 5%", suspended.GetProperty("lastError").GetString());
        Assert.Equal(retryAt.UtcDateTime, suspended.GetProperty("retryAt").GetDateTime().ToUniversalTime());
        Assert.False(suspended.GetProperty("cost").GetProperty("kernelTimeKnown").GetBoolean());
        Assert.Equal(JsonValueKind.Null, suspended.GetProperty("cost").GetProperty("kernelCpuPercent").ValueKind);
        Assert.Equal(JsonValueKind.Null, suspended.GetProperty("cost").GetProperty("kernelRunsPerSecond").ValueKind);
    }

    [Fact]
    public async Task Metrics_ProbeWithACostAndASuspendedOne_GaugesPerHostAndProbe()
    {
        await SendAsync();

        using var web = server.Web();
        var text = await web.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WaitAsync(InProcessAgent.Patience);

        string[] expected =
        [
            $"tracefleet_probe_cpu_percent{{host=\"{Host}\",probe=\"pagefaults\",part=\"tracer\"}} 1.5",
            $"tracefleet_probe_cpu_percent{{host=\"{Host}\",probe=\"pagefaults\",part=\"kernel\"}} 0.75",
            $"tracefleet_probe_cpu_percent{{host=\"{Host}\",probe=\"kmem\",part=\"tracer\"}} 7.2",
            $"tracefleet_probe_rss_bytes{{host=\"{Host}\",probe=\"pagefaults\"}} 48000000",
            $"tracefleet_probe_events_per_second{{host=\"{Host}\",probe=\"pagefaults\"}} 1200",
            $"tracefleet_probe_output_bytes_per_second{{host=\"{Host}\",probe=\"pagefaults\"}} 900",
            $"tracefleet_probe_budget_cpu_percent{{host=\"{Host}\",probe=\"kmem\"}} 5",
            $"tracefleet_probe_suspended{{host=\"{Host}\",probe=\"kmem\"}} 1",
            $"tracefleet_probe_suspended{{host=\"{Host}\",probe=\"pagefaults\"}} 0",
        ];
        var lines = text.Split('\n');
        Assert.All(expected, line => Assert.Contains(line, lines));
        Assert.DoesNotContain(lines, l => l.StartsWith($"tracefleet_probe_cpu_percent{{host=\"{Host}\",probe=\"kmem\",part=\"kernel\"}}", StringComparison.Ordinal));
    }

    /// <summary>
    /// pagefaults running at 1.5 % tracer and 0.75 % kernel CPU; kmem suspended at 7.2 % (kernel time unknown), retried in
    /// five minutes. A snapshot follows them: the stream is read in order, so once it is acknowledged the statuses are kept.
    /// </summary>
    private async Task<(DateTimeOffset At, DateTimeOffset RetryAt)> SendAsync()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var retryAt = at.AddMinutes(5);
        using var channel = server.Ingest();
        using var agent = new InProcessAgent(channel, InProcessServer.TokenOf(Host));
        var epoch = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        Assert.NotNull((await agent.HelloAsync(InProcessAgent.Hello(Host, epoch, "pagefaults", "kmem"))).Welcome);

        await agent.SendAsync(new AgentMessage
        {
            ProbeStatus = new ProbeStatus
            {
                Probe = "pagefaults",
                State = "running",
                AtUnixMs = at.ToUnixTimeMilliseconds(),
                Cost = Cost(tracerCpu: 1.5, kernelCpu: 0.75),
            },
        });
        await agent.SendAsync(new AgentMessage
        {
            ProbeStatus = new ProbeStatus
            {
                Probe = "kmem",
                State = "suspended",
                AtUnixMs = at.ToUnixTimeMilliseconds(),
                LastError = "suspended: 7.2% > 5%",
                RetryAtUnixMs = retryAt.ToUnixTimeMilliseconds(),
                Cost = Cost(tracerCpu: 7.2, kernelCpu: null),
            },
        });
        await agent.SendAsync(InProcessAgent.PageFaults(1, 2, ("libc.so.6", 4)));
        var (stored, _) = await agent.AnswersAsync(1);
        Assert.Equal([1ul], stored);
        return (at, retryAt);
    }

    private static ProbeCost Cost(double tracerCpu, double? kernelCpu) => new()
    {
        WindowMs = 5000,
        TracerCpuPercent = tracerCpu,
        TracerRssBytes = 48_000_000,
        KernelTimeKnown = kernelCpu is not null,
        KernelCpuPercent = kernelCpu ?? 0,
        KernelRunsPerSecond = kernelCpu is null ? 0 : 1500,
        EventsPerSecond = 1200,
        OutputBytesPerSecond = 900,
        BudgetCpuPercent = 5,
    };
}
