using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.EndToEnd.Live;
using Xunit.Abstractions;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// A rule made through the API fires on a replayed host, and the Alerts page, open before the snapshot that fires it
/// arrives, shows the firing alert within 2 s of the server accepting that snapshot (its <c>receivedAt</c> as the hub
/// sent it, against the time the row entered the page's DOM: one machine, one clock).
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class AlertsPageTests(BrowserFleetFixture fleet, ITestOutputHelper output)
{
    private const string Header = "  FAULTS VMFILE\n";
    private const string HotKey = "libhot.so";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Allowed = TimeSpan.FromSeconds(2);

    /// <summary>Records, per key, when a firing row of the rule on the host first appears in the page.</summary>
    private const string WatchFiringRows = """
        ([rule, host]) => {
            window.firingSeen = {};
            const look = () => {
                for (const row of document.querySelectorAll('.firing-table tr.state-firing')) {
                    if (row.dataset.rule === rule && row.dataset.host === host && !(row.dataset.key in window.firingSeen)) {
                        window.firingSeen[row.dataset.key] = Date.now();
                    }
                }
            };
            look();
            new MutationObserver(look).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
        }
        """;

    [Fact]
    public async Task AlertsPage_RuleFiresOnAReplayedSnapshot_RowShownWithin2SecondsOfTheSnapshotsArrival()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var host = $"alert-ui-{id}";
        var rule = $"hot-faults-{id}";
        await CreateRuleAsync(rule, host);
        try
        {
            var page = await fleet.NewPageAsync();
            await using var context = page.Context;
            await page.GotoAsync("/alerts");
            await Assertions.Expect(page.Locator(".firing-now .state.empty, .firing-now .firing-table").First).ToBeVisibleAsync();
            await page.EvaluateAsync(WatchFiringRows, new[] { rule, host }).WaitAsync(Patience);
            await using var listener = await LiveListener.ConnectAsync(fleet.Server.WebUrl);
            await listener.JoinHostAsync(host);

            // Three idle seconds, then the key turns hot: the alert fires on a snapshot the replay sends seconds after it starts.
            var replay = ReplayAsync(host, string.Concat(Enumerable.Repeat(Header, 3)) + string.Concat(Enumerable.Repeat($"{Header}  100000 {HotKey}\n", 4)));

            var row = page.Locator($".firing-table tr.state-firing[data-rule='{rule}'][data-host='{host}']");
            await Assertions.Expect(row.First).ToBeVisibleAsync();
            await Assertions.Expect(row.First.Locator("td.key")).ToHaveTextAsync(HotKey);
            var run = await replay.WaitAsync(Patience);
            Assert.True(run.ExitCode == 0, run.ToString());

            var firing = (await fleet.Server.GetAsync<List<AlertChangeDto>>(HistoryPath(rule, host)))
                .Where(c => c.To == "firing").MinBy(c => c.At);
            Assert.True(firing is not null, $"no firing of {rule} in /api/alerts/history");
            var snapshots = listener.Snapshots.Select(s => s.Snapshot).Where(s => s.Host == host && s.Probe == "pagefaults").ToList();
            var cause = snapshots.FirstOrDefault(s => s.Start <= firing.At && firing.At <= s.Start.AddMilliseconds(s.DurationMs))
                ?? snapshots.Where(s => s.ReceivedAt <= firing.At).MaxBy(s => s.ReceivedAt);
            Assert.True(cause is not null, $"no snapshot of {host} spans the firing at {firing.At:O}: "
                + string.Join(", ", snapshots.Select(s => $"{s.Sequence}@{s.Start:O}+{s.DurationMs}ms received {s.ReceivedAt:O}")));

            var seen = await page.EvaluateAsync<Dictionary<string, double>>("() => window.firingSeen").WaitAsync(Patience);
            Assert.True(seen.TryGetValue(firing.Key, out var shownMs), $"the page never showed the firing row of key '{firing.Key}'");
            var shownAt = DateTime.UnixEpoch.AddMilliseconds(shownMs);
            var latency = shownAt - cause.ReceivedAt;
            output.WriteLine($"snapshot {cause.Sequence} accepted {cause.ReceivedAt:O} → firing row on screen {latency.TotalMilliseconds:F0} ms later");
            Assert.True(latency <= Allowed && latency > TimeSpan.FromMilliseconds(-50),
                $"snapshot {cause.Sequence} accepted {cause.ReceivedAt:O}, firing at {firing.At:O}, row shown {shownAt:O}: {latency.TotalMilliseconds:F0} ms");
            await BrowserFleetFixture.ScreenshotAsync(page, "alerts-firing");
        }
        finally
        {
            // Only tidying: an assertion here would hide the failure that brought the test here.
            using var deleted = await fleet.Server.Http.DeleteAsync($"/api/rules/{rule}");
        }
    }

    private async Task CreateRuleAsync(string name, string host)
    {
        using var created = await fleet.Server.Http.PostAsJsonAsync("/api/rules", new
        {
            name,
            probe = "pagefaults",
            column = "faults",
            key = HotKey,
            hosts = host,
            above = 10.0,
            window = "5s",
            @for = "0s",
            keepFiringFor = "0s",
            noData = "ignore",
            severity = "warning",
            labels = new Dictionary<string, string>(),
            annotations = new Dictionary<string, string>(),
        }, ServerProcess.Json);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST /api/rules answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
    }

    private static string HistoryPath(string rule, string host) =>
        $"/api/alerts/history?rule={Uri.EscapeDataString(rule)}&host={Uri.EscapeDataString(host)}";

    /// <summary>Replays <paramref name="capture"/> as <paramref name="host"/> at real pace (a table a second) to its end.</summary>
    private async Task<AgentRun.Result> ReplayAsync(string host, string capture)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-alert-ui-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, capture);
        try
        {
            return await AgentRun.RunAsync(
                ["--server", fleet.Server.IngestUrl.ToString(), "--host", host, "--os", "linux", "--speed", "1", "--once", "--replay", path], Patience);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>One row of <c>/api/alerts/history</c> as an outside client reads it.</summary>
    private sealed record AlertChangeDto(DateTime At, string Rule, string Host, string Key, string From, string To, double Value, bool Notified, bool Silenced);
}
