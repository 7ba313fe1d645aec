using System.Text.Json;
using Grpc.Core;
using Tracefleet.Contract.V1;
using Tracefleet.EndToEnd.Infrastructure;
using Xunit.Abstractions;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Ingest;

/// <summary>
/// An agent with a valid token that floods: statuses of probes it never declared with 64 KB errors, unknown states, a pace
/// no tracer has, megabytes in its Hello. What the server keeps and answers stays bounded (its own RSS, the size of
/// <c>/metrics</c> and <c>/api/hosts</c>), invented probes are listed nowhere, and the agent's last real status is kept.
/// </summary>
public sealed class ProbeStatusFloodTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Token = "flooder-token-for-tests-only";
    private const int Invented = 2000;
    private const int BadStates = 500;
    private const int Paced = 1000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string HugeError = new('e', 64 * 1024);
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Auth:AgentTokens:flooder"] = Token });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task HelloWithASevenMegabyteKernel_RefusedResourceExhaustedHostNotListed()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            WireAgent.ConnectAsync(_server.IngestUrl, "flooder", epoch: 1, ["kmem"], Token, hello => hello.Kernel = new string('k', 7 * 1024 * 1024)));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("Hello of at most 65536 bytes", refused.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(await _server.GetAsync<List<HostDto>>("/api/hosts"), h => h.Name == "flooder");
    }

    [Fact]
    public async Task StatusFlood_InventedProbesHugeErrorsBadStates_KeptStateAndAnswersBoundedLastStatusKept()
    {
        var metricsBefore = (await _server.Http.GetStringAsync("/metrics")).Length;
        var rssBefore = ProcessMemory.RssMb(_server.ProcessId);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var agent = await WireAgent.ConnectAsync(_server.IngestUrl, "Flooder", epoch: 7, ["kmem"], Token, hello =>
        {
            hello.Kernel = new string('k', 50_000);
            hello.AgentVersion = "9.9\u001b[2J";
            hello.Probes[0].Limitations = new string('l', 10_000);
        });
        try
        {
            for (var i = 0; i < Invented; i++)
            {
                await agent.SendAsync(Status($"invented-{i:D4}", "running", (uint)i, now));
            }

            for (var i = 0; i < BadStates; i++)
            {
                await agent.SendAsync(Status("kmem", $"state-{i}", (uint)i, now));
            }

            for (var i = 0; i < Paced; i++)
            {
                await agent.SendAsync(Status("kmem", "running", (uint)i, now));
            }

            // Once a snapshot after them is answered, every status before it was read.
            Assert.Equal(WireAgent.AnswerKind.Stored, (await agent.SendOneAsync(1, "kmem", "dentry", [5, 3], Patience)).Kind);
            await agent.SendAsync(Status("kmem", "failed", 424_242, now));
        }
        finally
        {
            // The last status is beyond the pace: it is kept when the stream ends at the latest.
            await agent.DisposeAsync();
        }

        var host = await Poll.UntilAsync(
            async () => JsonDocument.Parse(await _server.Http.GetStringAsync("/api/hosts/flooder")).RootElement.Clone(),
            h => h.GetProperty("probes")[0].GetProperty("restarts").ValueKind == JsonValueKind.Number && h.GetProperty("probes")[0].GetProperty("restarts").GetInt32() == 424_242,
            Patience);
        var rssAfter = ProcessMemory.RssMb(_server.ProcessId);
        var probe = Assert.Single(host.GetProperty("probes").EnumerateArray());
        Assert.Equal("kmem", probe.GetProperty("name").GetString());
        Assert.Equal(424_242, probe.GetProperty("restarts").GetInt32());
        Assert.Equal("failed", probe.GetProperty("state").GetString());
        Assert.Equal(4096, probe.GetProperty("lastError").GetString()!.Length);
        Assert.Equal(1024, probe.GetProperty("limitations").GetString()!.Length);
        Assert.Equal(256, host.GetProperty("kernel").GetString()!.Length);
        Assert.Equal("9.9\\x1b[2J", host.GetProperty("agentVersion").GetString());

        var hosts = await _server.Http.GetStringAsync("/api/hosts");
        var metrics = await _server.Http.GetStringAsync("/metrics");
        output.WriteLine($"{Invented} invented, {BadStates} bad and {Paced} paced statuses with 64 KB errors, a 60 KB Hello: server RSS {rssBefore:F0} MB before, "
            + $"{rssAfter:F0} MB after; /metrics {metricsBefore} → {metrics.Length} bytes; /api/hosts {hosts.Length} bytes");
        Assert.True(hosts.Length < 2048, $"/api/hosts answers {hosts.Length} bytes for one host");
        Assert.DoesNotContain("invented-", metrics, StringComparison.Ordinal);
        Assert.True(metrics.Length - metricsBefore < 8192, $"/metrics grew from {metricsBefore} to {metrics.Length} bytes");
        Assert.Contains($"tracefleet_ingest_probe_statuses_dropped_total{{reason=\"undeclared\"}} {Invented}", metrics, StringComparison.Ordinal);
        Assert.Contains($"tracefleet_ingest_probe_statuses_dropped_total{{reason=\"invalid\"}} {BadStates}", metrics, StringComparison.Ordinal);
        Assert.Contains("tracefleet_agent_probe_restarts_total{host=\"flooder\",probe=\"kmem\"} 424242", metrics, StringComparison.Ordinal);
        // Kept before, the invented statuses alone held 2,000 × 128 KB (their errors as .NET strings).
        Assert.True(rssAfter - rssBefore < 100, $"server RSS grew from {rssBefore:F0} to {rssAfter:F0} MB");
        Assert.Equal(1, Lines(_server.Output, "which the Hello did not declare"));
    }

    private static ProbeStatus Status(string probe, string state, uint restarts, long now) => new()
    {
        Probe = probe,
        State = state,
        LastError = HugeError,
        Restarts = restarts,
        AtUnixMs = now,
        LinesPerSecond = 1,
    };

    private static int Lines(string text, string part) => text.Split('\n').Count(l => l.Contains(part, StringComparison.Ordinal));
}
