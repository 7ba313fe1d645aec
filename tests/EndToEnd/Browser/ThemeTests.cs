using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// The dark theme in Chromium: it follows the system setting (<c>prefers-color-scheme</c>, emulated) until the header's
/// toggle says otherwise, the toggle's choice survives a reload, and either way the theme is set while the document is
/// parsed, before the app starts, so the page never shows the other theme first.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed partial class ThemeTests(BrowserFleetFixture fleet)
{
    /// <summary>Records the theme as it was when the document finished parsing: long before Blazor renders anything.</summary>
    private const string RecordThemeAtParse = """
        document.addEventListener('DOMContentLoaded', () => { window.themeAtParse = document.documentElement.dataset.theme ?? 'none'; });
        """;

    [Fact]
    public async Task Theme_SystemDarkThenLight_PageFollowsWithoutReload()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.AddInitScriptAsync(RecordThemeAtParse);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });

        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator($"tr[data-host='{BrowserFleetFixture.LinuxA}'] .status")).ToHaveTextAsync("online");

        Assert.Equal("dark", await page.EvaluateAsync<string>("() => window.themeAtParse"));
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        var darkBackground = await BackgroundAsync(page, "body");
        // Drawn by a component with its own (scoped) stylesheet: it follows the theme too.
        var darkStatus = await ColorAsync(page, $"tr[data-host='{BrowserFleetFixture.LinuxA}'] .status");
        await BrowserFleetFixture.ScreenshotAsync(page, "fleet-dark");

        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
        var lightBackground = await BackgroundAsync(page, "body");
        var lightStatus = await ColorAsync(page, $"tr[data-host='{BrowserFleetFixture.LinuxA}'] .status");
        Assert.True(Luminance(darkBackground) < 0.05, $"the dark theme's page background {darkBackground} is not dark");
        Assert.True(Luminance(lightBackground) > 0.9, $"the light theme's page background {lightBackground} is not light");
        Assert.True(Luminance(darkStatus) > Luminance(lightStatus), $"a host's status is {darkStatus} in the dark theme, not lighter than {lightStatus} in the light one");
    }

    [Fact]
    public async Task ThemeToggle_DarkChosenOnALightSystem_KeptAfterReloadUntilSystemChosen()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.AddInitScriptAsync(RecordThemeAtParse);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.GotoAsync("/");
        var toggle = page.GetByLabel("theme");
        await Assertions.Expect(toggle).ToHaveValueAsync("system");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");

        await toggle.SelectOptionAsync("dark");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await page.ReloadAsync();

        await Assertions.Expect(page.GetByLabel("theme")).ToHaveValueAsync("dark");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.Equal("dark", await page.EvaluateAsync<string>("() => window.themeAtParse"));
        Assert.True(Luminance(await BackgroundAsync(page, "body")) < 0.05, "the chosen dark theme's background is not dark");

        await page.GetByLabel("theme").SelectOptionAsync("system");
        await page.ReloadAsync();

        await Assertions.Expect(page.GetByLabel("theme")).ToHaveValueAsync("system");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
        Assert.Equal("light", await page.EvaluateAsync<string>("() => window.themeAtParse"));
    }

    private static Task<string> BackgroundAsync(IPage page, string selector) =>
        page.Locator(selector).First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

    private static Task<string> ColorAsync(IPage page, string selector) =>
        page.Locator(selector).First.EvaluateAsync<string>("e => getComputedStyle(e).color");

    /// <summary>WCAG's relative luminance of a computed <c>rgb(r, g, b)</c>: 0 for black to 1 for white.</summary>
    private static double Luminance(string rgb)
    {
        var match = RgbPattern().Match(rgb);
        Assert.True(match.Success, $"not a computed colour: {rgb}");
        var channels = Enumerable.Range(1, 3).Select(i =>
        {
            var c = double.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture) / 255;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }).ToArray();
        return (0.2126 * channels[0]) + (0.7152 * channels[1]) + (0.0722 * channels[2]);
    }

    [GeneratedRegex(@"^rgba?\((\d+), (\d+), (\d+)")]
    private static partial Regex RgbPattern();
}
