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
    public void Picker_PresetChosen_RememberedAndStored()
    {
        var chosen = new List<TimeRangeSpec>();
        var picker = Render<TimeRangePicker>(p => p.Add(c => c.RangeChanged, chosen.Add));

        picker.Find("select").Change("7d");

        Assert.Equal(["7d"], chosen.Select(r => r.Preset));
        Assert.Equal("7d", Services.GetRequiredService<RangeMemory>().Remembered?.Preset);
        Assert.Equal([RangeMemory.StorageKey, "7d"], JSInterop.VerifyInvoke("localStorage.setItem").Arguments);
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
