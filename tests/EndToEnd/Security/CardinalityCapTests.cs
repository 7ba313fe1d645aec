using Tracefleet.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace Tracefleet.EndToEnd.Security;

/// <summary>
/// One interval with 100,000 distinct keys (a synthesized capture): the agent's cap, and with the
/// agent's cap off the server's cap, keep the busiest keys and sum the rest into "(other)" — the stored
/// keys are at most cap + 1 and the total is exact — and the server's memory stays bounded.
/// </summary>
public sealed class CardinalityCapTests(ITestOutputHelper output)
{
    private const int Keys = 100_000;
    private const int Cap = 1000;

    [Theory]
    [InlineData("agent", "1000")]
    [InlineData("server", "0")]
    public async Task HundredThousandKeys_CappedAtAgentOrServer_StoredKeysBoundedTotalExact(string capBy, string agentMaxKeys)
    {
        var capture = TempCaptures.ManyKeys(Keys);
        var host = $"cap-{capBy}-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync();
        var rssBefore = ProcessMemory.RssMb(server.ProcessId);

        var run = await AgentRun.RunAsync(
            ["--server", server.IngestUrl.ToString(), "--host", host, "--replay", capture, "--speed", "0", "--once", "--max-keys", agentMaxKeys],
            TimeSpan.FromSeconds(120));

        var rssAfter = ProcessMemory.RssMb(server.ProcessId);
        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = await server.GetAsync<List<PageFaultRowDto>>($"/api/hosts/{host}/top?probe=pagefaults&limit=0");
        Assert.True(rows.Count <= Cap + 1, $"{rows.Count} keys stored");
        // File i faulted i + 1 times: the busiest are the last ones, and the total is 1 + 2 + … + Keys.
        Assert.Equal((long)Keys * (Keys + 1) / 2, rows.Sum(r => r.Faults));
        Assert.Equal($"file-{Keys - 1:D6}.so", rows.First(r => r.Key != "(other)").Key);
        var other = Assert.Single(rows, r => r.Key == "(other)");
        Assert.Equal((long)(Keys - Cap) * (Keys - Cap + 1) / 2, other.Faults);
        output.WriteLine($"cap by {capBy}: server RSS {rssBefore:F0} MB before, {rssAfter:F0} MB after one {Keys}-key snapshot");
        Assert.True(rssAfter - rssBefore < 400, $"server RSS grew from {rssBefore:F0} to {rssAfter:F0} MB");
        File.Delete(capture);
    }

    [Fact]
    public async Task SnapshotLargerThanMessageLimit_RefusedResourceExhausted()
    {
        var capture = TempCaptures.ManyKeys(20_000);
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Limits:MaxMessageBytes"] = "65536" });

        var run = await AgentRun.RunAsync(
            ["--server", server.IngestUrl.ToString(), "--host", "flood", "--replay", capture, "--speed", "0", "--once", "--max-keys", "0"],
            TimeSpan.FromSeconds(60));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("(ResourceExhausted)", run.StandardError, StringComparison.Ordinal);
        File.Delete(capture);
    }
}
