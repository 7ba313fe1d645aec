using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tracefleet.EndToEnd.Browser;

[Collection(BrowserTestGroup.Name)]
public sealed class HostPageTests(BrowserFleetFixture fleet)
{
    [Fact]
    public async Task HostPage_AgentStreaming_TableChangesWithoutReload()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync($"/host?host={BrowserFleetFixture.LinuxA}&probe=kmem");
        var interval = page.Locator(".interval");
        await Assertions.Expect(page.Locator(".top-table tbody tr").First).ToBeVisibleAsync();
        // Survives only if the page is not reloaded.
        await page.EvaluateAsync("() => window.tracefleetMarker = 'same page'");
        var first = await interval.GetAttributeAsync("data-sequence");

        await Assertions.Expect(interval).Not.ToHaveAttributeAsync("data-sequence", first ?? "");

        Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.tracefleetMarker"));
        await Assertions.Expect(page.Locator(".top-table th").First).ToContainTextAsync("ALLOCS");
        // The tab names the host and what is shown.
        await Assertions.Expect(page).ToHaveTitleAsync($"{BrowserFleetFixture.LinuxA} · allocs and frees by cache · Tracefleet");
        await BrowserFleetFixture.ScreenshotAsync(page, "host-kmem");
    }

    [Fact]
    public async Task HostPage_KmemTable_NetIsAllocsMinusFreesInEveryRow()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync($"/host?host={BrowserFleetFixture.LinuxA}&probe=kmem&sort=net");
        await Assertions.Expect(page.Locator(".top-table tbody tr").First).ToBeVisibleAsync();

        // One read of the whole table, so a live update cannot land between columns.
        var rows = await page.Locator(".top-table tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent))");

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(long.Parse(r[0]) - long.Parse(r[1]), long.Parse(r[2])));
        var nets = rows.Select(r => long.Parse(r[2])).ToList();
        Assert.Equal(nets.OrderDescending(), nets);
    }

    [Fact]
    public async Task HostPage_ClickKey_ShowsItsTrendAndKeepsItInUrl()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync($"/host?host={BrowserFleetFixture.Solaris}&probe=pagefaults");
        var firstKey = page.Locator(".top-table tbody tr td.key").First;
        await Assertions.Expect(firstKey).ToBeVisibleAsync();
        // Read and clicked in one turn of the page's event loop: the live table re-renders its rows in place, so a key read
        // first and clicked after may be another by then.
        var key = await firstKey.EvaluateAsync<string>("td => { const key = td.textContent; td.querySelector('button').click(); return key; }");

        await Assertions.Expect(page.Locator(".trend-panel h2")).ToContainTextAsync(key!);
        await ChartAssertions.LineDrawnAsync(page.Locator(".trend-panel"));
        Assert.Contains("key=" + Uri.EscapeDataString(key!), page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".top-table th").Nth(1)).ToContainTextAsync("VNODE");
        await Assertions.Expect(page.Locator(".probe-status tr[data-probe='pagefaults']")).ToBeVisibleAsync();
        await page.Locator(".trend-panel").ScrollIntoViewIfNeededAsync();
        await BrowserFleetFixture.ScreenshotAsync(page, "host-pagefaults-trend");
    }

    [Fact]
    public async Task HostPage_ReplayingHost_TotalsChartedRangeInUrlRangeTableListsKeys()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync($"/host?host={BrowserFleetFixture.LinuxA}&probe=kmem");

        // allocs/s, frees/s and net/s of the host, live over the last 15 minutes.
        var totals = page.Locator(".host-totals");
        await ChartAssertions.LineDrawnAsync(totals);
        await Assertions.Expect(totals).ToHaveAttributeAsync("data-step-seconds", "8");
        // One line per column and the net; each column shaded from its steps' lowest to busiest second (steps of 8 s here:
        // a net's busiest second is not known from its columns'); the host's events (its agent's connection) are marks
        // beside them, named otherwise.
        foreach (var (line, shaded) in new[] { ("allocs/s", 1), ("frees/s", 1), ("net/s", 0) })
        {
            await Assertions.Expect(totals.Locator(".chart-legend li", new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(line)}\\s*$") })).ToHaveCountAsync(1);
            await Assertions.Expect(totals.Locator(".chart-legend li", new() { HasTextString = $"{line} low–peak" })).ToHaveCountAsync(shaded);
        }

        // The agent's connection, stored by the server when it said hello, is marked and listed under the chart.
        await Assertions.Expect(totals.Locator(".event-marks li.event-mark[data-kind='connected']").First).ToContainTextAsync("UTC connected");
        await Assertions.Expect(totals.Locator(".live")).ToBeVisibleAsync();
        await Assertions.Expect(totals.Locator(".units")).ToContainTextAsync("allocs/s: allocations per second");

        await page.Locator(".range-picker select").SelectOptionAsync("1h");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]range=1h"));
        await Assertions.Expect(totals).ToHaveAttributeAsync("data-step-seconds", "30");
        await ChartAssertions.LineDrawnAsync(totals);

        await page.Locator(".table-source button", new() { HasTextString = "the range" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]table=range"));
        await Assertions.Expect(page.Locator(".range-note")).ToContainTextAsync("totals over last hour");
        await Assertions.Expect(page.Locator(".top-table tbody tr").First).ToBeVisibleAsync();
        var keys = await page.Locator(".top-table td.key").AllTextContentsAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.False(string.IsNullOrEmpty(key)));
        Assert.Contains("range=1h", page.Url, StringComparison.Ordinal);
        await BrowserFleetFixture.ScreenshotAsync(page, "host-range");
    }
}
