using Microsoft.Playwright;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>File names come from other people's machines: one named like markup must show as text and run nothing.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class MarkupKeyTests(BrowserFleetFixture fleet)
{
    private const string ImgKey = "<img src=x onerror=alert(1)>";
    private const string ScriptKey = "<script>alert(2)</script>";

    [Fact]
    public async Task HostPage_FileNamedLikeMarkup_ShownAsTextAndRunsNothing()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) => { dialogs.Add(dialog.Message); _ = dialog.DismissAsync(); };

        await page.GotoAsync($"/host?host={BrowserFleetFixture.Hostile}&probe=pagefaults");

        await Assertions.Expect(page.Locator(".top-table td.key", new() { HasTextString = ImgKey })).ToHaveTextAsync(ImgKey);
        await Assertions.Expect(page.Locator(".top-table td.key", new() { HasTextString = ScriptKey })).ToHaveTextAsync(ScriptKey);
        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
        Assert.Equal(0, await page.Locator(".top-table script").CountAsync());
        // An onerror handler, had one been created, has run once an image of the same address failed in this page too
        // (an alert it opened would hold this evaluation until the dialog handler dismissed it).
        await page.EvaluateAsync("() => new Promise(done => { const probe = new Image(); probe.onerror = probe.onload = () => done(); probe.src = 'x'; })");
        Assert.Empty(dialogs);
        await BrowserFleetFixture.ScreenshotAsync(page, "host-markup-keys");
    }

    [Fact]
    public async Task FleetPage_TopFileLikeMarkup_ShownAsText()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) => { dialogs.Add(dialog.Message); _ = dialog.DismissAsync(); };

        await page.GotoAsync("/");

        await Assertions.Expect(page.Locator($"tr[data-host='{BrowserFleetFixture.Hostile}'] td.key").First).ToHaveTextAsync(ImgKey);
        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
        Assert.Empty(dialogs);
    }
}
