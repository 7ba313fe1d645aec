using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Tracefleet.Web.Components;
using Tracefleet.Web.Layout;
using Tracefleet.Web.Pages;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Pages;

/// <summary>The pages as the app wires them: the fake hub behind the pause every page's feed goes through.</summary>
public sealed class LivePausePageTests : UiTestContext
{
    private const string Summary = """
        {"at":"2026-11-26T06:00:00Z","windowSeconds":60,"reporting":1,"known":1,"hosts":[
          {"name":"web-01","os":"linux","backend":"bpftrace","online":true,"reporting":true,"lastSeen":"2026-11-26T06:00:00Z","probes":["pagefaults","kmem"],
           "faults":[1,2,3],"allocs":[10,20,30],"frees":[0,0,0],"topFile":"libc.so.6","topCache":"dentry"}]}
        """;

    public LivePausePageTests() =>
        Services.AddScoped<ILiveFeed>(s => new PausableFeed(Live, s.GetRequiredService<LivePause>()));

    [Fact]
    public async Task FleetEvent_Paused_NotShownUntilResumeThenTheLatest()
    {
        Api.Answer("/api/fleet/summary", Summary);
        var page = Render<Fleet>();
        page.WaitForAssertion(() => Assert.Equal("3/s", page.Find("tr[data-host='web-01'] td.faults .last").TextContent), Settle);
        var pause = Services.GetRequiredService<LivePause>();

        await page.InvokeAsync(pause.Pause).WaitAsync(Settle);
        Live.Push(new FleetSecond(DateTime.UtcNow, 1000, 1, 1, [Host(7)]));
        Live.Push(new FleetSecond(DateTime.UtcNow, 1000, 1, 1, [Host(8)]));

        // The feed holds them: nothing reached the page, so nothing is pending to render either.
        Assert.Equal(1, ((PausableFeed)Services.GetRequiredService<ILiveFeed>()).Held);
        Assert.Equal("3/s", page.Find("tr[data-host='web-01'] td.faults .last").TextContent);

        await page.InvokeAsync(pause.Resume).WaitAsync(Settle);

        page.WaitForAssertion(() => Assert.Equal("8/s", page.Find("tr[data-host='web-01'] td.faults .last").TextContent), Settle);
    }

    [Fact]
    public async Task AlertEvent_Paused_NotReadAgainUntilResume()
    {
        Api.Answer("/api/alerts", "[]").Answer("/api/rules", "[]").Answer("/api/silences", "[]").Answer("/api/alerts/history", "[]").Answer("/api/hosts", "[]");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/alerts");
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Single(Api.Requests, u => u.AbsolutePath == "/api/alerts"), Settle);
        var pause = Services.GetRequiredService<LivePause>();

        await page.InvokeAsync(pause.Pause).WaitAsync(Settle);
        Live.Push(new LiveAlert(DateTime.UtcNow, "faults-high", "web-01", "ld.so", "pending", "firing", 2000, "critical", Notified: true, Silenced: false));

        Assert.Equal(1, ((PausableFeed)Services.GetRequiredService<ILiveFeed>()).Held);
        Assert.Single(Api.Requests, u => u.AbsolutePath == "/api/alerts");

        await page.InvokeAsync(pause.Resume).WaitAsync(Settle);

        page.WaitForAssertion(() => Assert.Equal(2, Api.Requests.Count(u => u.AbsolutePath == "/api/alerts")), Settle);
    }

    [Fact]
    public void PauseButton_Clicked_PausedSaidAndClickedAgainResumed()
    {
        var header = Render<MainLayout>();
        var pause = Services.GetRequiredService<LivePause>();

        header.Find("button.pause").Click();

        header.WaitForAssertion(() => Assert.Equal("paused", header.Find(".paused").TextContent), Settle);
        Assert.True(pause.Paused);
        Assert.Equal(("resume", "true"), (header.Find("button.pause").TextContent, header.Find("button.pause").GetAttribute("aria-pressed")));

        header.Find("button.pause").Click();

        header.WaitForAssertion(() => Assert.Empty(header.FindAll(".paused")), Settle);
        Assert.False(pause.Paused);
        Assert.Equal("pause", header.Find("button.pause").TextContent);
    }

    [Fact]
    public async Task PauseButton_PausedElsewhere_EveryButtonSaysSo()
    {
        var button = Render<PauseButton>();

        await button.InvokeAsync(Services.GetRequiredService<LivePause>().Pause).WaitAsync(Settle);

        button.WaitForAssertion(() => Assert.Equal("resume", button.Find("button.pause").TextContent), Settle);
    }

    private static FleetHost Host(ulong faults) =>
        FleetHost.Of("web-01", true, true, DateTime.UtcNow, c => c == ProbeCatalogue.Faults ? faults : 0, _ => null, _ => null);
}
