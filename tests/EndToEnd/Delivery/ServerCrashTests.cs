using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Delivery;

/// <summary>
/// Exactly-once delivery across a server crash: the server is SIGKILLed while an agent replays at full
/// speed, then started again on the same database; the agent reconnects and the totals equal the
/// capture's exactly — nothing lost (spooled, resent) and nothing doubled (resends recognised).
/// </summary>
public sealed class ServerCrashTests
{
    private const string Capture = "linux-stap-kmemstat.txt";
    private const int Repeats = 200;

    [Theory]
    [InlineData(0.3)]
    [InlineData(6)]
    public Task ReplayFullSpeed_ServerKilledAndRestarted_TotalsExact(double downSeconds) => KillAndRestartAsync(downSeconds, null);

    /// <summary>The same on PostgreSQL: a commit there is what the ack waits for, and a resend hits ON CONFLICT.</summary>
    [Fact]
    public async Task ReplayFullSpeed_PostgresServerKilledAndRestarted_TotalsExact()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await KillAndRestartAsync(0.3, PostgresServerFixture.Settings(cluster));
    }

    private static async Task KillAndRestartAsync(double downSeconds, Dictionary<string, string>? settings)
    {
        var capture = TempCaptures.Repeat(Capture, Repeats);
        var stateDir = Directory.CreateTempSubdirectory("tracefleet-agent-state-").FullName;
        var host = $"crash-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync(settings);
        await using var agent = new ChildProcess(RepoPaths.Agent,
            ["--server", server.IngestUrl.ToString(), "--host", host, "--replay", capture, "--speed", "0", "--once", "--once-timeout", "60s", "--state-dir", stateDir]);

        // Kill once part of the replay is stored (the server paces an agent at Limits:MaxSnapshotsPerSecond).
        var stored = await Poll.UntilAsync(() => StoredAllocsAsync(server, host), n => n > 0, TimeSpan.FromSeconds(30));
        Assert.True(stored > 0, "nothing was stored before the kill:\n" + agent.Output);
        server.Kill();
        await Task.Delay(TimeSpan.FromSeconds(downSeconds));
        Assert.False(agent.HasExited, "the agent gave up while the server was down:\n" + agent.Output);
        await server.RestartAsync(settings);

        var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.True(exit == 0, $"agent exit {exit}:\n{agent.Output}");
        await ApiTotals.AssertKmemAsync(server, host, TempCaptures.Times(Capture, Repeats));
        Assert.Contains("Connected to", agent.Output, StringComparison.Ordinal);
        File.Delete(capture);
        Directory.Delete(stateDir, recursive: true);
    }

    private static async Task<long> StoredAllocsAsync(ServerProcess server, string host)
    {
        using var response = await server.Http.GetAsync($"/api/hosts/{host}/top?probe=kmem&limit=0");
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }

        var rows = System.Text.Json.JsonSerializer.Deserialize<List<KmemRowDto>>(await response.Content.ReadAsStringAsync(), ServerProcess.Json)!;
        return rows.Sum(r => r.Allocs);
    }
}
