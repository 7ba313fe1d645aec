using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.EndToEnd.Security;
using Xunit.Abstractions;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// axe-core over every page of the UI, live, in the light and the dark theme (the system setting emulated, which the
/// page follows without a reload): no serious or critical violation. A failure lists each one by theme, rule, element
/// and what axe says is wrong with it.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class AccessibilityTests(BrowserFleetFixture fleet, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Pages => ["fleet", "host with a key's trend", "compare", "what changed with a key's chart", "history", "alerts with the rule form"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_LightAndDarkTheme_NoSeriousOrCriticalViolation(string name)
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;

        await OpenAsync(page, name);
        var violations = await ViolationsInBothThemesAsync(page);

        Assert.True(violations.Count == 0, $"{name}: {violations.Count} serious or critical violations:\n{string.Join("\n", violations)}");
    }

    [Fact]
    public async Task SignInPage_LightAndDarkTheme_NoSeriousOrCriticalViolation()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Auth:People:Mode"] = "ApiKey",
            ["Auth:People:ApiKeys:browser"] = PeopleAuthFixture.Digest("not-used-to-sign-in"),
        });
        var page = await fleet.NewPageAsync(server.WebUrl);
        await using var context = page.Context;
        await page.GotoAsync("/login");
        await page.FillAsync("#key", "wrong");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();

        var violations = new List<string>();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            violations.AddRange(await SeriousViolationsAsync(page, scheme));
        }

        Assert.True(violations.Count == 0, $"sign-in: {violations.Count} serious or critical violations:\n{string.Join("\n", violations)}");
    }

    private static async Task OpenAsync(IPage page, string name)
    {
        switch (name)
        {
            case "fleet":
                await page.GotoAsync("/");
                await Assertions.Expect(page.Locator($"tr[data-host='{BrowserFleetFixture.LinuxA}'] .status")).ToHaveTextAsync("online");
                break;
            case "host with a key's trend":
                var host = $"/host?host={BrowserFleetFixture.Solaris}&probe=pagefaults";
                await page.GotoAsync(host);
                var firstKey = page.Locator(".top-table tbody td.key").First;
                await Assertions.Expect(firstKey).ToBeVisibleAsync();
                var key = await firstKey.TextContentAsync();
                await page.GotoAsync($"{host}&key={Uri.EscapeDataString(key!)}");
                await ChartAssertions.LineDrawnAsync(page.Locator(".trend-panel"));
                break;
            case "compare":
                await page.GotoAsync($"/compare?host={BrowserFleetFixture.LinuxA}&host={BrowserFleetFixture.LinuxB}&probe=kmem&range=15m");
                await Assertions.Expect(page.Locator(".compare-table tbody tr").First).ToBeVisibleAsync();
                break;
            case "what changed with a key's chart":
                await page.GotoAsync($"/changes?host={BrowserFleetFixture.LinuxA}&probe=pagefaults&range=15m&against=1m");
                await page.Locator(".changes-table tbody th.key button").First.ClickAsync();
                await ChartAssertions.LineDrawnAsync(page.Locator(".charts"));
                break;
            case "history":
                await page.GotoAsync($"/history?range=15m&probe=kmem&host={BrowserFleetFixture.LinuxA}&host={BrowserFleetFixture.Solaris}");
                await ChartAssertions.LineDrawnAsync(page.Locator(".trend"));
                break;
            case "alerts with the rule form":
                await page.GotoAsync("/alerts");
                await page.ClickAsync("button.new-rule");
                await Assertions.Expect(page.Locator(".rule-form")).ToBeVisibleAsync();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such page in this test");
        }
    }

    private async Task<List<string>> ViolationsInBothThemesAsync(IPage page)
    {
        var violations = new List<string>();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            // The theme script follows the system setting while the choice is "system", the default.
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", scheme == ColorScheme.Dark ? "dark" : "light");
            violations.AddRange(await SeriousViolationsAsync(page, scheme));
        }

        return violations;
    }

    private async Task<List<string>> SeriousViolationsAsync(IPage page, ColorScheme scheme)
    {
        var result = await page.RunAxe().WaitAsync(Patience);
        var found = (
            from violation in result.Violations
            where violation.Impact is "serious" or "critical"
            from node in violation.Nodes
            select $"{scheme.ToString().ToLowerInvariant()} · {violation.Id} ({violation.Impact}) · {node.Target} · {violation.Help}: {Summary(node)}").ToList();
        foreach (var violation in result.Violations)
        {
            // Every impact, for the test's log; only serious and critical ones fail it.
            output.WriteLine($"{scheme} {violation.Id} {violation.Impact}: {violation.Nodes.Length} elements");
        }

        return found;
    }

    /// <summary>What axe found wrong with one element: its failed checks' messages.</summary>
    private static string Summary(AxeResultNode node) =>
        string.Join("; ", new[] { node.Any, node.All, node.None }.SelectMany(checks => checks ?? []).Select(c => c.Message)).ReplaceLineEndings(" ");
}
