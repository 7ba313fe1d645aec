using Microsoft.Playwright;

namespace Tracefleet.EndToEnd.Browser;

[Collection(BrowserTestGroup.Name)]
public sealed class HistoryPageTests(BrowserFleetFixture fleet)
{
    [Fact]
    public async Task HistoryPage_Last15Minutes_TopKeysSeriesHeatmapAndCsv()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync($"/history?range=15m&probe=kmem&host={BrowserFleetFixture.LinuxA}&host={BrowserFleetFixture.Solaris}");

        await Assertions.Expect(page.Locator(".top-table tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("allocs and frees by cache · history · Tracefleet");
        await Assertions.Expect(page.Locator(".heatmap td.cell").First).ToBeVisibleAsync();
        await ChartAssertions.LineDrawnAsync(page.Locator(".trend"));
        // The heatmap shades something: at least one cell above level 0.
        Assert.True(await page.Locator(".heatmap td.cell:not(.level-0)").CountAsync() > 0);

        var csvUrl = await page.Locator("a", new() { HasTextString = "top keys (CSV)" }).GetAttributeAsync("href");
        var response = await page.APIRequest.GetAsync(csvUrl!);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/csv", response.Headers["content-type"], StringComparison.Ordinal);
        Assert.StartsWith("key,allocs,frees,hosts", await response.TextAsync(), StringComparison.Ordinal);
        await BrowserFleetFixture.ScreenshotAsync(page, "history");
    }

    [Fact]
    public async Task HistoryPage_AbsoluteRangeBeforeAnyData_SaysSoInsteadOfBreaking()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync("/history?from=2020-01-01T00:00:00Z&to=2020-01-01T01:00:00Z&probe=pagefaults");

        await Assertions.Expect(page.Locator(".state.empty").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".range-picker select")).ToHaveValueAsync("absolute");
    }
}
