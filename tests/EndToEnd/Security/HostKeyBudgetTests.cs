using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Security;

/// <summary>
/// A host that keeps inventing file names, against a small per-host key budget (Limits:MaxKeysPerHost): new keys quieter
/// than the tracked ones are summed into "(other)" and counted in the API and /metrics, later busier keys take the least
/// busy ones' places, and once the keys have gone unseen for Limits:KeyIdleSeconds new keys are stored under their own names.
/// Every total is exact whether or not a busy machine pauses the replay past the idle time: all tracked keys go idle together.
/// </summary>
public sealed class HostKeyBudgetTests
{
    private const int Budget = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ChurningHost_PastTheBudget_QuietKeysFoldedBusyAndLaterKeysStoredUnderTheirNames()
    {
        var host = $"churn-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Limits:MaxKeysPerHost"] = $"{Budget}",
            ["Limits:KeyIdleSeconds"] = "2",
        });
        var steady = Enumerable.Range(0, Budget).Select(i => ($"/usr/lib/steady-{i}.so", 50L)).ToList();
        var busy = Enumerable.Range(0, 3).Select(i => ($"/opt/busy-{i}.so", 100_000L)).ToList();
        var captures = new List<string>();

        // 20 seconds of the 10 steady files and 5 overlay paths never seen before (those 100 are folded), then a second
        // with 3 files far busier than the steady ones: they take 3 steady ones' places (folded in that second).
        var churn = Capture(captures, [
            .. Enumerable.Range(0, 20).Select(s => steady.Concat(Enumerable.Range(0, 5).Select(i => ($"/overlay/{s:D2}-{i}/app", 1L)))),
            steady.Concat(busy)]);
        await ReplayAsync(server, host, churn);
        var afterChurn = await ProbeAsync(server, host);
        Assert.Equal((Budget, 103, 103), (afterChurn.KeyBudget, afterChurn.KeysFoldedLastHour, afterChurn.KeysFolded));

        // Once every key has gone unseen for the idle time, quiet new paths get the room: 10 stored, 2 folded.
        var idle = await Poll.UntilAsync(() => ProbeAsync(server, host), p => p.KeysTracked == 0, Patience);
        Assert.True(idle.KeysTracked == 0, $"{idle.KeysTracked} keys still tracked");
        var later = Capture(captures, [Enumerable.Range(0, 12).Select(i => ($"/overlay/later-{i:D2}/app", 1L))]);
        await ReplayAsync(server, host, later);

        var rows = await server.GetAsync<List<PageFaultRowDto>>($"/api/hosts/{host}/top?probe=pagefaults&limit=0");
        var stored = rows.ToDictionary(r => r.Key, r => r.Faults, StringComparer.Ordinal);
        Assert.Equal((20L * ((Budget * 50) + 5)) + (Budget * 50) + 300_000 + 12, stored.Values.Sum());
        Assert.Equal(100 + (3 * 50) + 2, stored["(other)"]);
        Assert.Equal([1000, 1000, 1000, 1050, 1050, 1050, 1050, 1050, 1050, 1050], steady.Select(s => stored[s.Item1]).Order());
        Assert.All(busy, b => Assert.Equal(100_000, stored[b.Item1]));
        Assert.Equal(
            Enumerable.Range(0, 10).Select(i => $"/overlay/later-{i:D2}/app"),
            stored.Keys.Where(k => k.StartsWith("/overlay/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var final = await ProbeAsync(server, host);
        Assert.Equal((105, 105), (final.KeysFoldedLastHour, final.KeysFolded));
        var metrics = await server.Http.GetStringAsync("/metrics").WaitAsync(Patience);
        Assert.Contains($"tracefleet_ingest_host_keys_folded_total{{host=\"{host}\",probe=\"pagefaults\"}} 105", metrics, StringComparison.Ordinal);
        captures.ForEach(File.Delete);
    }

    private static string Capture(List<string> captures, IEnumerable<IEnumerable<(string File, long Faults)>> intervals)
    {
        var path = TempCaptures.Intervals(intervals);
        captures.Add(path);
        return path;
    }

    private static async Task ReplayAsync(ServerProcess server, string host, string capture)
    {
        var run = await AgentRun.RunAsync(
            ["--server", server.IngestUrl.ToString(), "--host", host, "--replay", capture, "--speed", "0", "--once"],
            Patience);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private static async Task<ProbeDetailDto> ProbeAsync(ServerProcess server, string host) =>
        Assert.Single((await server.GetAsync<HostDetailDto>($"/api/hosts/{host}")).Probes, p => p.Name == "pagefaults");
}
