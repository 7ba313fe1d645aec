using System.Text.Json;
using Microsoft.Playwright;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// What changed, in the browser: a host replays a minute of one mix of files, then a minute of another; its page, opened
/// from a deep link on the second minute against the first, ranks the files by how far they moved.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class ChangesPageTests(BrowserFleetFixture fleet)
{
    /// <summary>Per second: the first minute, then the second. Over a minute: b −1800, a +1200, d +420, c −300, e unmoved.</summary>
    private static readonly (string File, long Faults)[] Before = [("/lib/a.so", 10), ("/lib/b.so", 50), ("/lib/c.so", 5), ("/lib/e.so", 4)];
    private static readonly (string File, long Faults)[] After = [("/lib/a.so", 30), ("/lib/b.so", 20), ("/lib/d.so", 7), ("/lib/e.so", 4)];

    [Fact]
    public async Task ChangesPage_SecondMinuteAgainstTheFirst_FilesRankedByHowFarTheyMoved()
    {
        var host = $"shift-ui-{Guid.NewGuid():N}";
        await fleet.ReplayIntervalsAsync(host, [.. Enumerable.Repeat(Before, 60), .. Enumerable.Repeat(After, 60)]);
        // The seconds as the server stored them: the replay stamps them up to now.
        var to = DateTime.UtcNow.AddSeconds(2);
        var seconds = await fleet.Server.GetAsync<JsonElement>(
            $"/api/series?probe=pagefaults&host={host}&from={to.AddMinutes(-5):yyyy-MM-ddTHH:mm:ssZ}&to={to:yyyy-MM-ddTHH:mm:ssZ}&step=1s");
        var times = Assert.Single(seconds.GetProperty("series").EnumerateArray().ToList()).GetProperty("points").EnumerateArray()
            .Select(p => p.GetProperty("t").GetDateTime()).ToList();
        Assert.Equal(120, times.Count);
        var (secondMinute, end) = (times[60], times[^1].AddSeconds(1));

        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync($"/changes?host={host}&probe=pagefaults&from={secondMinute:yyyy-MM-ddTHH:mm:ssZ}&to={end:yyyy-MM-ddTHH:mm:ssZ}&against=1m");

        var rows = page.Locator(".changes-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        Assert.Equal(["/lib/b.so", "/lib/a.so", "/lib/d.so", "/lib/c.so"], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.key)"));
        Assert.Equal(["−1800", "+1200", "+420", "−300"], (await page.Locator(".changes-table td.change").AllTextContentsAsync()).Select(t => t.Trim()));
        Assert.Equal(["new", "gone"], (await page.Locator(".changes-table td.ratio").AllTextContentsAsync()).Skip(2));
        await Assertions.Expect(page).ToHaveTitleAsync($"{host} · page faults by file · what changed · Tracefleet");

        // A key's two minutes, the first drawn over the second.
        await page.Locator(".changes-table tbody th.key button").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("key=%2Flib%2Fb.so"));
        await ChartAssertions.LineDrawnAsync(page.Locator(".charts"));
        await Assertions.Expect(page.Locator(".charts .chart-legend li", new() { HasTextString = "1m earlier" })).ToBeVisibleAsync();
        await BrowserFleetFixture.ScreenshotAsync(page, "changes");
    }
}
