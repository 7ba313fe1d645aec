using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// Counts past long.MaxValue in the browser: the pages show the same exact numbers as the API, and a total that
/// passed 2^64 − 1 as "≥ 18446744073709551615 (saturated)", never a negative or wrapped number.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class HugeCountPageTests(BrowserFleetFixture fleet)
{
    private const string Header = "  ALLOCS    FREES SLAB\n";
    private const string SaturatedText = "≥ 18446744073709551615 (saturated)";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pages_AllocsPastLongMaxThenPast64Bits_ExactThenMarkedSaturated()
    {
        var host = $"huge-ui-{Guid.NewGuid():N}";
        await ReplayAsync(host, Header + "@allocs[x]: 5000000000000000000\n" + Header + "@allocs[x]: 5000000000000000000\n");
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;

        await page.GotoAsync($"/host?host={host}&probe=kmem");
        await Assertions.Expect(page.Locator(".top-table tbody tr").First.Locator("td"))
            .ToHaveTextAsync(["5000000000000000000", "0", "5000000000000000000", "x"]);
        await page.GotoAsync($"/history?range=15m&probe=kmem&host={host}");
        await Assertions.Expect(page.Locator(".top-table tbody tr").First.Locator("td"))
            .ToHaveTextAsync(["10000000000000000000", "0", "10000000000000000000", "x"]);

        await ReplayAsync(host, Header + "@allocs[x]: 9000000000000000000\n");

        await page.GotoAsync($"/history?range=15m&probe=kmem&host={host}");
        var cells = page.Locator(".top-table tbody tr").First.Locator("td");
        await Assertions.Expect(cells).ToHaveTextAsync([SaturatedText, "0", "unknown (saturated)", "x"]);
        await Assertions.Expect(cells.First).ToHaveClassAsync(new Regex(@"\bsaturated\b"));
        await page.GotoAsync($"/compare?host={host}&host={BrowserFleetFixture.LinuxA}&probe=kmem&range=15m");
        var row = page.Locator(".compare-table tbody tr", new() { Has = page.Locator("td.key", new() { HasTextRegex = new Regex("^x$") }) });
        await Assertions.Expect(row.Locator("td.value").First).ToHaveTextAsync(SaturatedText);
        await Assertions.Expect(row.Locator("td.diff")).ToHaveTextAsync("unknown (saturated)");
        await BrowserFleetFixture.ScreenshotAsync(page, "compare-saturated");
    }

    private async Task ReplayAsync(string host, string capture)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-huge-ui-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, capture);
        try
        {
            var run = await AgentRun.RunAsync(
                ["--server", fleet.Server.IngestUrl.ToString(), "--host", host, "--os", "linux", "--speed", "0", "--once", "--replay", path], Patience);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
