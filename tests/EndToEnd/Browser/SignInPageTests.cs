using Microsoft.Playwright;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.EndToEnd.Security;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// A person opens the UI of a server that asks who they are, in Chromium. With API keys (Auth:People:Mode=ApiKey) the page
/// goes to the sign-in page, a wrong key is refused there, the right one leads back; with OpenID Connect the page goes to
/// the provider (the tests' own, on loopback) and back. Either way the app's API calls and its live hub connection carry
/// the session cookie: the fleet page shows the host streaming live.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class SignInPageTests(BrowserFleetFixture fleet)
{
    [Fact]
    public async Task OpenUi_SignInWithKey_FleetLiveWithTheSessionCookie()
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var host = $"signin-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Auth:People:Mode"] = "ApiKey",
            ["Auth:People:ApiKeys:browser"] = PeopleAuthFixture.Digest(key),
        });
        await using var agent = new ChildProcess(RepoPaths.Agent,
            ["--server", server.IngestUrl.ToString(), "--host", host, "--speed", "1", "--loop", "--replay", RepoPaths.Capture("linux-stap-pfstat.txt")]);
        var page = await fleet.NewPageAsync(server.WebUrl);
        await using var context = page.Context;

        await page.GotoAsync("/?sort=name");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/login\?returnUrl=%2F%3Fsort%3Dname$"));
        await page.FillAsync("#key", key + "x");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That key is not valid.");

        await page.FillAsync("#key", key);
        await page.ClickAsync("button[type=submit]");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/\?sort=name$"));
        await Assertions.Expect(page.Locator($"tr[data-host='{host}'] .status")).ToHaveTextAsync("online", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("header .live")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("live-connected"));
        var cookies = await context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "tracefleet.session" && c.HttpOnly);
        await BrowserFleetFixture.ScreenshotAsync(page, "signed-in-fleet");
    }

    [Fact]
    public async Task OpenUi_SignInAtTheProvider_FleetLiveWithTheSessionCookie()
    {
        var host = $"oidc-{Guid.NewGuid():N}"[..20];
        await using var provider = new TestIdentityProvider();
        await using var server = await ServerProcess.StartAsync(provider.ServerSettings);
        await provider.StartAsync(server.WebUrl);
        await using var agent = new ChildProcess(RepoPaths.Agent,
            ["--server", server.IngestUrl.ToString(), "--host", host, "--speed", "1", "--loop", "--replay", RepoPaths.Capture("linux-stap-kmemstat.txt")]);
        var page = await fleet.NewPageAsync(server.WebUrl);
        await using var context = page.Context;

        await page.GotoAsync("/?filter=oidc");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(provider.Authority + "connect/authorize?")));
        await page.FillAsync("#username", provider.User);
        await page.FillAsync("#password", provider.Password);
        await page.ClickAsync("button[type=submit]");

        await Assertions.Expect(page).ToHaveURLAsync(server.WebUrl + "?filter=oidc");
        await Assertions.Expect(page.Locator($"tr[data-host='{host}'] .status")).ToHaveTextAsync("online", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("header .live")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("live-connected"));
        Assert.Contains(await context.CookiesAsync(), c => c.Name == "tracefleet.session" && c.HttpOnly);
        await BrowserFleetFixture.ScreenshotAsync(page, "signed-in-with-provider");
    }
}
