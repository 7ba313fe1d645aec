using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>Drag-to-zoom on the History chart, the header's pause, and the range that follows the user from page to page.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed partial class TimeControlsPageTests(BrowserFleetFixture fleet)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HistoryChart_MouseDraggedAcrossIt_UrlRangeNarrowsWithinTheOldAndBackRestoresIt()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        var opened = DateTime.UtcNow;
        await page.GotoAsync($"/history?range=15m&probe=kmem&host={BrowserFleetFixture.LinuxA}");
        await ChartAssertions.LineDrawnAsync(page.Locator(".trend"));
        var (left, right) = await LinesAsync(page);
        var chart = await page.Locator(".trend svg").First.BoundingBoxAsync();
        var y = chart!.Y + chart.Height / 2;

        await page.Mouse.MoveAsync(left + 0.3f * (right - left), y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(left + 0.6f * (right - left), y, new() { Steps = 5 });
        await Assertions.Expect(page.Locator(".trend .zoom-selection")).ToBeVisibleAsync();
        await page.Mouse.UpAsync();

        await Assertions.Expect(page).ToHaveURLAsync(ZoomedUrl());
        await Assertions.Expect(page.Locator(".trend .zoom-selection")).ToHaveCountAsync(0);
        var url = new Uri(page.Url);
        var from = Time(url, "from");
        var to = Time(url, "to");
        Assert.DoesNotContain("range=", url.Query, StringComparison.Ordinal);
        // Within what the page showed (15 minutes up to some moment after it was opened) and narrower: the lines span
        // the fleet's data only, which may be younger than 15 minutes, so the drag's 30 % of them is at most 30 % of it.
        Assert.InRange(from, opened.AddMinutes(-15).AddSeconds(-2), to);
        Assert.InRange(to, from, DateTime.UtcNow.AddSeconds(2));
        Assert.InRange((to - from).TotalMinutes, 1 / 60.0, 15 * 0.35);
        await Assertions.Expect(page.Locator(".range-picker select")).ToHaveValueAsync("absolute");

        await page.GoBackAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"range=15m"));
        await Assertions.Expect(page.Locator(".range-picker select")).ToHaveValueAsync("15m");
    }

    [Fact]
    public async Task HistoryChart_Clicked_RangeUnchanged()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync($"/history?range=15m&probe=kmem&host={BrowserFleetFixture.LinuxA}");
        await ChartAssertions.LineDrawnAsync(page.Locator(".trend"));
        var (left, right) = await LinesAsync(page);
        var chart = await page.Locator(".trend svg").First.BoundingBoxAsync();
        var y = chart!.Y + chart.Height / 2;
        var x = (left + right) / 2;

        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x + 2, y);
        await page.Mouse.UpAsync();
        // Then a real drag: its URL is the first change; had the click zoomed, the back button would land on a from/to.
        await page.Mouse.MoveAsync(left + 0.2f * (right - left), y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(left + 0.5f * (right - left), y, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page).ToHaveURLAsync(ZoomedUrl());
        await page.GoBackAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"range=15m"));
        Assert.DoesNotContain("from=", new Uri(page.Url).Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FleetPage_Paused_FiguresHeldWhileTheServerMovesOnAndLiveAgainAfterResume()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync("/");
        var table = page.Locator(".fleet-table tbody");
        await ChartAssertions.LineDrawnAsync(page.Locator($"tr[data-host='{BrowserFleetFixture.LinuxA}'] td.faults"));
        var button = page.Locator("header button.pause");

        await button.ClickAsync();
        await Assertions.Expect(page.Locator("header .paused")).ToHaveTextAsync("paused");
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        // Whatever was on its way to the screen when the click landed has arrived by the next animation frame.
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        var held = await table.InnerHTMLAsync();
        var pausedAt = await ServerSecondAsync(page);
        var later = await Poll.UntilAsync(() => ServerSecondAsync(page), at => at >= pausedAt.AddSeconds(3), Patience);
        Assert.True(later >= pausedAt.AddSeconds(3), $"the server's fleet second stayed at {later:O}");

        Assert.Equal(held, await table.InnerHTMLAsync());
        await Assertions.Expect(page.Locator("header .live")).ToContainTextAsync("connected");

        await button.ClickAsync();

        await Assertions.Expect(page.Locator("header .paused")).ToHaveCountAsync(0);
        var live = await Poll.UntilAsync(() => table.InnerHTMLAsync(), html => html != held, Patience);
        Assert.NotEqual(held, live);
    }

    [Fact]
    public async Task RangePicked_OtherPageAndReloadWithoutRange_ShowTheSameRange()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync("/history?probe=kmem");
        await Assertions.Expect(page.Locator(".range-picker select")).ToHaveValueAsync("15m");

        await page.Locator(".range-picker select").SelectOptionAsync("6h");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"range=6h"));
        // The page shows the range before the user moves on: the browser's address changes before the app hears of it, and
        // a range never shown is not remembered.
        await Assertions.Expect(page.Locator("p.hint").First).ToContainTextAsync("last 6 hours");
        await page.Locator("header nav a", new() { HasTextString = "Alerts" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/alerts$"));
        await Assertions.Expect(page.Locator(".range-picker select")).ToHaveValueAsync("6h");

        await page.GotoAsync("/history?probe=kmem");
        await Assertions.Expect(page.Locator(".range-picker select")).ToHaveValueAsync("6h");
        await Assertions.Expect(page.Locator("p.hint").First).ToContainTextAsync("last 6 hours");

        await page.GotoAsync("/history?probe=kmem&range=1h");
        await Assertions.Expect(page.Locator(".range-picker select")).ToHaveValueAsync("1h");
    }

    /// <summary>
    /// The left and right page x of the lines drawn in the History chart, once they span two steps at least: the axis spans
    /// the data, and a fleet started moments ago has one step of it, a line a dot wide. The page is read again until then.
    /// </summary>
    private static async Task<(float Left, float Right)> LinesAsync(IPage page)
    {
        var span = await Poll.UntilAsync(async () =>
        {
            var (left, right) = (float.MaxValue, float.MinValue);
            foreach (var path in await page.Locator($".trend {ChartAssertions.DataLines} path").AllAsync())
            {
                if (await path.BoundingBoxAsync() is { } box)
                {
                    (left, right) = (Math.Min(left, box.X), Math.Max(right, box.X + box.Width));
                }
            }

            if (right - left <= 100)
            {
                await page.ReloadAsync();
                await ChartAssertions.LineDrawnAsync(page.Locator(".trend"));
            }

            return (left, right);
        }, s => s.right - s.left > 100, Patience);
        Assert.True(span.right - span.left > 100, $"the lines span {span.left}..{span.right}");
        return span;
    }

    /// <summary>The end of the server's latest fleet second.</summary>
    private static async Task<DateTime> ServerSecondAsync(IPage page)
    {
        var response = await page.APIRequest.GetAsync("/api/fleet/summary?window=1");
        using var summary = JsonDocument.Parse(await response.TextAsync());
        return summary.RootElement.GetProperty("at").GetDateTime().ToUniversalTime();
    }

    private static DateTime Time(Uri url, string name)
    {
        var match = Regex.Match(url.Query, $@"[?&]{name}=([^&]+)");
        Assert.True(match.Success, url.Query);
        return DateTime.Parse(Uri.UnescapeDataString(match.Groups[1].Value), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
    }

    [GeneratedRegex(@"[?&]from=[^&]+.*[?&]to=|[?&]to=[^&]+.*[?&]from=")]
    private static partial Regex ZoomedUrl();
}
