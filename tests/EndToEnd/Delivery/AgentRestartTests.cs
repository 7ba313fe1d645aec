using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Delivery;

/// <summary>
/// An agent SIGKILLed mid-delivery and started again with the same <c>--state-dir</c> sends what it had
/// spooled and not seen acknowledged, under the same epoch and sequence numbers: the server stores each
/// snapshot once, so the totals are exact, with no duplicates and nothing lost. The host's events, which the Host and
/// History charts mark, say what happened: connected, disconnected (the kill), reconnected, disconnected (the end).
/// </summary>
public sealed class AgentRestartTests
{
    [Fact]
    public async Task AgentKilledMidDelivery_RestartedWithSameStateDir_NoDuplicatesNothingLost()
    {
        const string First = "linux-stap-kmemstat.txt";
        const string Second = "solaris-dtrace-kmemstat.txt";
        const int Repeats = 250;
        var capture = TempCaptures.Repeat(First, Repeats);
        var stateDir = Directory.CreateTempSubdirectory("tracefleet-agent-state-").FullName;
        var host = $"restart-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Limits:MaxSnapshotsPerSecond"] = "100" });

        await using (var first = new ChildProcess(RepoPaths.Agent,
            ["--server", server.IngestUrl.ToString(), "--host", host, "--replay", capture, "--speed", "0", "--state-dir", stateDir]))
        {
            // Everything is spooled once the replay has queued it; the server, paced at a third of what the replay can queue
            // even on a loaded machine, has stored only part of it.
            Assert.True(await Poll.TrueAsync(() => first.Output.Contains("Replay queued all", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), first.Output);
            await Task.Delay(TimeSpan.FromSeconds(1));
            first.Kill();
        }

        var second = await AgentRun.RunAsync(
            ["--server", server.IngestUrl.ToString(), "--host", host, "--replay", RepoPaths.Capture(Second), "--speed", "0", "--once", "--state-dir", stateDir],
            TimeSpan.FromSeconds(120));

        Assert.True(second.ExitCode == 0, second.ToString());
        var leftover = System.Text.RegularExpressions.Regex.Match(second.StandardError, @"(\d+) spooled snapshots to send first");
        Assert.True(leftover.Success && int.Parse(leftover.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, "the first run left nothing to resend:\n" + second);
        var expected = TempCaptures.Times(First, Repeats);
        TempCaptures.Sum(expected, TempCaptures.Times(Second, 1));
        await ApiTotals.AssertKmemAsync(server, host, expected);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(stateDir, "spool")));

        // Events are stored off ingest's path, so they may follow the data by a moment.
        string[] told = ["connected", "disconnected", "reconnected", "disconnected"];
        var events = await Poll.UntilAsync(
            () => server.GetAsync<List<EventDto>>($"/api/hosts/{host}/events"), e => e.Count(x => x.Probe is null) >= told.Length, TimeSpan.FromSeconds(30));
        var connection = events.Where(e => e.Probe is null).OrderBy(e => e.At).ToList();
        Assert.Equal(told, connection.Select(e => e.Kind));
        Assert.All(connection.Where(e => e.Kind != "disconnected"), e => Assert.Contains("agent", e.Detail, StringComparison.Ordinal));
        File.Delete(capture);
        Directory.Delete(stateDir, recursive: true);
    }

    private sealed record EventDto(string Kind, DateTimeOffset At, string? Probe, string Detail);
}
