using Microsoft.Playwright;

namespace Tracefleet.EndToEnd.Browser;

[Collection(BrowserTestGroup.Name)]
public sealed class FleetPageTests(BrowserFleetFixture fleet)
{
    [Fact]
    public async Task FleetPage_DemoFleetStreaming_ListsEveryHostReportingWithOs()
    {
        var page = await fleet.NewPageAsync();
        await page.GotoAsync("/");

        foreach (var host in new[] { BrowserFleetFixture.LinuxA, BrowserFleetFixture.LinuxB, BrowserFleetFixture.Solaris, BrowserFleetFixture.Hostile })
        {
            await Assertions.Expect(page.Locator($"tr[data-host='{host}'] .status")).ToHaveTextAsync("online");
        }

        await Assertions.Expect(page.Locator($"tr[data-host='{BrowserFleetFixture.Solaris}'] td").Nth(1)).ToHaveTextAsync("solaris");
        await Assertions.Expect(page.Locator(".reporting")).ToContainTextAsync("4 of 4 hosts reporting");
        // The live sparklines have drawn a line (Radzen renders SVG paths once it has points).
        await ChartAssertions.LineDrawnAsync(page.Locator($"tr[data-host='{BrowserFleetFixture.LinuxA}'] td.faults"));
        await BrowserFleetFixture.ScreenshotAsync(page, "fleet");
    }

    [Fact]
    public async Task FleetPage_FilterInUrl_ShowsOnlyMatchingHosts()
    {
        var page = await fleet.NewPageAsync();
        await page.GotoAsync("/?filter=solaris&sort=name");

        await Assertions.Expect(page.Locator($"tr[data-host='{BrowserFleetFixture.Solaris}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".fleet-table tbody tr")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task FleetPage_ClickHost_OpensItsHostPage()
    {
        var page = await fleet.NewPageAsync();
        await page.GotoAsync("/");

        await page.Locator($"tr[data-host='{BrowserFleetFixture.LinuxB}'] a").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/host\\?host=web-02$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(BrowserFleetFixture.LinuxB);
    }
}
