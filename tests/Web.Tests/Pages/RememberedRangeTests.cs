using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Tracefleet.Web.Components;
using Tracefleet.Web.Pages;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Pages;

/// <summary>A range chosen on one page is the range of the next page opened without one; a range in the URL wins.</summary>
public sealed class RememberedRangeTests : UiTestContext
{
    public RememberedRangeTests() =>
        Api.Answer("/api/hosts", "[]").Answer("/api/fleet/top", "[]").Answer("/api/series", """{"series":[]}""").Answer("/api/rules", "[]")
            .Answer("/api/alerts", "[]").Answer("/api/silences", "[]").Answer("/api/alerts/history", "[]");

    [Fact]
    public void Page_RangeInItsUrl_RememberedAndStoredHoweverItGotThere()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/history?range=7d");

        var page = Render<History>();

        page.WaitForAssertion(() => Assert.Equal("7d", Services.GetRequiredService<RangeMemory>().Remembered?.Preset), Settle);
        Assert.Equal([RangeMemory.StorageKey, "7d"], JSInterop.VerifyInvoke("localStorage.setItem").Arguments);
    }

    [Fact]
    public void Page_RangeInItsUrl_RememberedBeforeThePageHasLoaded()
    {
        // A user who sees the range and moves on at once must find it on the next page, however slow this page's reads.
        var slow = Api.Hold("/api/fleet/top");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/history?probe=kmem&range=6h");

        var page = Render<History>();

        page.WaitForAssertion(() => Assert.Contains("last 6 hours", page.Find("p.hint").TextContent, StringComparison.Ordinal), Settle);
        Assert.Equal("6h", Services.GetRequiredService<RangeMemory>().Remembered?.Preset);
        Assert.Contains(Api.Requests, u => u.AbsolutePath == "/api/fleet/top");
        slow.SetResult();
    }

    [Fact]
    public void Page_OpenedWithoutRange_ANewRangeLeavesTheOneShownInTheEntryBackReturnsTo()
    {
        var navigation = Services.GetRequiredService<Bunit.TestDoubles.BunitNavigationManager>();
        navigation.NavigateTo("/history?probe=kmem");
        var page = Render<History>();
        page.WaitForAssertion(() => Assert.Contains("last 15 minutes", page.Find("p.hint").TextContent, StringComparison.Ordinal), Settle);

        page.Find(".range-picker select").Change("6h");

        // Newest first: the new range pushed, and before it the page's own entry, replaced to name what it showed.
        var entries = navigation.History.Take(2).ToList();
        Assert.Equal("/history?probe=kmem&range=6h", new Uri(new Uri(navigation.BaseUri), entries[0].Uri).PathAndQuery);
        Assert.False(entries[0].Options.ReplaceHistoryEntry);
        Assert.Equal("/history?probe=kmem&range=15m", new Uri(new Uri(navigation.BaseUri), entries[1].Uri).PathAndQuery);
        Assert.True(entries[1].Options.ReplaceHistoryEntry);
    }

    [Fact]
    public void Compare_RangePickedButNotApplied_NotRemembered()
    {
        Api.Answer("/api/compare", """{"probe":"pagefaults","hosts":["web-01","web-02"],"rows":[]}""");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/compare?host=web-01&host=web-02&probe=pagefaults");
        var page = Render<Compare>();

        page.Find(".range-picker select").Change("7d");

        Assert.Null(Services.GetRequiredService<RangeMemory>().Remembered);
        page.Find("button.apply").Click();
        page.WaitForAssertion(() => Assert.Equal("7d", Services.GetRequiredService<RangeMemory>().Remembered?.Preset), Settle);
    }

    [Fact]
    public void Picker_ZoomOut_TwiceTheRangeAboutItsMiddle()
    {
        var chosen = new List<TimeRangeSpec>();
        var range = TimeRangeSpec.Parse(null, "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z");
        var picker = Render<TimeRangePicker>(p => p.Add(c => c.Range, range).Add(c => c.RangeChanged, chosen.Add));

        picker.Find("button.zoom-out").Click();

        Assert.Equal([TimeRangeSpec.Parse(null, "2026-11-01T05:30:00Z", "2026-11-01T07:30:00Z")], chosen);
    }

    [Fact]
    public async Task History_OpenedWithoutRange_ShowsAndAsksForTheRememberedOne()
    {
        await Services.GetRequiredService<RangeMemory>().RememberAsync(TimeRangeSpec.Parse(null, "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z")).WaitAsync(Settle);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/history?probe=pagefaults");

        var page = Render<History>();

        page.WaitForAssertion(() => Assert.Contains("2026-11-01 06:00 – 2026-11-01 07:00 UTC", page.Find("p.hint").TextContent, StringComparison.Ordinal), Settle);
        page.WaitForAssertion(() => Assert.Contains(Api.Requests, u => u.AbsolutePath == "/api/fleet/top"), Settle);
        var asked = Api.Requests.First(u => u.AbsolutePath == "/api/fleet/top").Query;
        Assert.Contains("from=2026-11-01T06%3A00%3A00", asked, StringComparison.Ordinal);
        Assert.Contains("to=2026-11-01T07%3A00%3A00", asked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", "/api/fleet/series")]
    [InlineData("/host?host=web-01&probe=pagefaults", "/api/series")]
    [InlineData("/compare?host=web-01&host=web-02&probe=pagefaults", "/api/compare")]
    [InlineData("/changes?probe=pagefaults", "/api/changes")]
    public async Task OtherPages_OpenedWithoutRange_AskForTheRememberedOne(string url, string read)
    {
        Api.Answer("/api/fleet/summary", """{"at":"2026-11-26T06:00:00Z","windowSeconds":60,"reporting":0,"known":0,"hosts":[]}""")
            .Answer("/api/fleet/series", """{"probe":"pagefaults","from":"2026-11-01T06:00:00Z","to":"2026-11-01T07:00:00Z","stepMs":30000,"hosts":0,"points":[]}""")
            .Answer("/api/hosts/web-01", """{"name":"web-01","os":"linux","backend":"bpftrace","online":true,"lastSeen":"2026-11-26T06:00:00Z","probes":[]}""")
            .Answer("/api/compare", """{"probe":"pagefaults","hosts":["web-01","web-02"],"rows":[]}""");
        await Services.GetRequiredService<RangeMemory>().RememberAsync(TimeRangeSpec.Parse(null, "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z")).WaitAsync(Settle);
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);

        var page = url switch
        {
            "/" => (IRenderedComponent<IComponent>)Render<Fleet>(),
            _ when url.StartsWith("/host", StringComparison.Ordinal) => Render<HostPage>(),
            _ when url.StartsWith("/compare", StringComparison.Ordinal) => Render<Compare>(),
            _ => Render<Changes>(),
        };

        page.WaitForAssertion(() => Assert.Contains(Api.Requests, u => u.AbsolutePath == read), Settle);
        var asked = Api.Requests.First(u => u.AbsolutePath == read).Query;
        Assert.Contains("from=2026-11-01T06%3A00%3A00", asked, StringComparison.Ordinal);
        Assert.Contains("to=2026-11-01T07%3A00%3A00", asked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_RangeInTheUrl_WinsOverTheRememberedOne()
    {
        await Services.GetRequiredService<RangeMemory>().RememberAsync(TimeRangeSpec.Parse("7d", null, null)).WaitAsync(Settle);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/history?range=1h");

        var page = Render<History>();

        page.WaitForAssertion(() => Assert.Contains("last hour", page.Find("p.hint").TextContent, StringComparison.Ordinal), Settle);
        Assert.Equal("1h", page.Find(".range-picker select").GetAttribute("value"));
    }

    [Fact]
    public async Task Alerts_OpenedWithoutRange_HistoryOfTheRememberedOne()
    {
        await Services.GetRequiredService<RangeMemory>().RememberAsync(TimeRangeSpec.Parse("6h", null, null)).WaitAsync(Settle);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/alerts");

        var page = Render<Alerts>();

        page.WaitForAssertion(() => Assert.Equal("6h", page.Find(".range-picker select").GetAttribute("value")), Settle);
    }
}
