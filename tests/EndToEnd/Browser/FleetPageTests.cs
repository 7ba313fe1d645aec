using Microsoft.Playwright;

namespace Tracefleet.EndToEnd.Browser;

[Collection(BrowserTestGroup.Name)]
public sealed class FleetPageTests(BrowserFleetFixture fleet)
{
    [Fact]
    public async Task FleetPage_DemoFleetStreaming_ListsEveryHostReportingWithOs()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync("/");

        foreach (var host in new[] { BrowserFleetFixture.LinuxA, BrowserFleetFixture.LinuxB, BrowserFleetFixture.Solaris, BrowserFleetFixture.Hostile })
        {
            await Assertions.Expect(page.Locator($"tr[data-host='{host}'] .status")).ToHaveTextAsync("online");
        }

        await Assertions.Expect(page.Locator($"tr[data-host='{BrowserFleetFixture.Solaris}'] td").Nth(1)).ToHaveTextAsync("solaris");
        // Other tests of the group add hosts of their own to this server: the summary must agree with the table, and
        // count the four demo hosts as reporting.
        var summary = page.Locator(".reporting");
        await Assertions.Expect(summary).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ of \d+ hosts reporting"));
        Assert.Equal((await page.Locator("tr[data-host]").CountAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture), await summary.GetAttributeAsync("data-known"));
        Assert.True(int.Parse(await summary.GetAttributeAsync("data-reporting") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 4, await summary.TextContentAsync());
        // The live sparklines have drawn a line (Radzen renders SVG paths once it has points).
        await ChartAssertions.LineDrawnAsync(page.Locator($"tr[data-host='{BrowserFleetFixture.LinuxA}'] td.faults"));
        await BrowserFleetFixture.ScreenshotAsync(page, "fleet");
    }

    [Fact]
    public async Task FleetPage_DemoFleetStreaming_TotalsChartDrawnAndHostWithoutAProbeDashed()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync("/");

        // The fleet's totals over the last 15 minutes, one chart per probe, from the server's series and then the live feed.
        await Assertions.Expect(page.Locator(".fleet-totals h2")).ToContainTextAsync("last 15 minutes, live");
        await ChartAssertions.LineDrawnAsync(page.Locator("figure.totals-chart[data-probe='pagefaults']"));
        await ChartAssertions.LineDrawnAsync(page.Locator("figure.totals-chart[data-probe='kmem']"));
        // Steps of 8 s: each column shaded from its step's lowest to busiest second, beside its line and the net's.
        var kmemLegend = page.Locator("figure.totals-chart[data-probe='kmem'] .chart-legend li");
        await Assertions.Expect(kmemLegend.Filter(new() { HasTextString = "allocs/s low–peak" })).ToHaveCountAsync(1);
        await Assertions.Expect(kmemLegend.Filter(new() { HasTextString = "net/s" })).ToHaveCountAsync(1);
        // The markup host replays page faults only: its kmem column says it does not run kmem instead of 0/s.
        var allocs = page.Locator($"tr[data-host='{BrowserFleetFixture.Hostile}'] td.allocs");
        await Assertions.Expect(allocs).ToHaveTextAsync("—");
        await Assertions.Expect(allocs).ToHaveAttributeAsync("aria-label", "does not run this probe");
        await Assertions.Expect(page.Locator($"tr[data-host='{BrowserFleetFixture.Hostile}'] td.key").Nth(1)).ToHaveTextAsync("—");
        // A host that runs it shows its number.
        await Assertions.Expect(page.Locator($"tr[data-host='{BrowserFleetFixture.LinuxA}'] td.allocs .last")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"/s"));
    }

    [Fact]
    public async Task FleetPage_RangeChosen_InTheUrlAndTheTotalsFollow()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".fleet-totals h2")).ToContainTextAsync("last 15 minutes");

        await page.Locator(".fleet-totals .range-picker select").SelectOptionAsync("1h");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"[?&]range=1h"));
        await Assertions.Expect(page.Locator(".fleet-totals h2")).ToContainTextAsync("last hour, live");
        await ChartAssertions.LineDrawnAsync(page.Locator("figure.totals-chart[data-probe='kmem']"));
    }

    [Fact]
    public async Task FleetPage_FilterInUrl_ShowsOnlyMatchingHosts()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync("/?filter=solaris&sort=name");

        await Assertions.Expect(page.Locator($"tr[data-host='{BrowserFleetFixture.Solaris}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".fleet-table tbody tr")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task FleetPage_ClickHost_OpensItsHostPage()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveTitleAsync("Fleet · Tracefleet");

        await page.Locator($"tr[data-host='{BrowserFleetFixture.LinuxB}'] a").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/host\\?host=web-02$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(BrowserFleetFixture.LinuxB);
        // The title follows the page navigated to, not the one first loaded.
        await Assertions.Expect(page).ToHaveTitleAsync($"{BrowserFleetFixture.LinuxB} · page faults by file · Tracefleet");
    }
}
