using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Tracefleet.Web.Pages;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Pages;

/// <summary>The History chart marks the events of the hosts it charts, each named with its host.</summary>
public sealed class HistoryPageTests : UiTestContext
{
    private const string Range = "from=2026-11-26T05:00:00Z&to=2026-11-26T06:00:00Z";

    public HistoryPageTests() =>
        Api.Answer("/api/hosts", "[]").Answer("/api/rules", "[]").Answer("/api/alerts/history", "[]")
            .Answer("/api/fleet/top", """[{"key":"libc.so.6","faults":900,"hosts":2}]""");

    /// <summary>The series answer: the key on each of <paramref name="hosts"/>, two points each.</summary>
    private static string SeriesOf(IEnumerable<string> hosts) =>
        $$"""
        {"probe":"pagefaults","from":"2026-11-26T05:00:00Z","to":"2026-11-26T06:00:00Z","stepMs":30000,"series":[{{string.Join(",", hosts.Select(h =>
            $$"""{"host":"{{h}}","key":"libc.so.6","points":[{"t":"2026-11-26T05:00:00Z","faults":300},{"t":"2026-11-26T05:30:00Z","faults":60}]}"""))}}]}
        """;

    [Fact]
    public void Render_TwoHostsCharted_EachHostsEventsMarkedWithItsNameOldestFirst()
    {
        Api.Answer("/api/series", SeriesOf(["web-01", "web-02"]))
            .Answer("/api/hosts/web-01/events", """[{"kind":"reconnected","at":"2026-11-26T05:40:00Z","probe":null,"detail":"bpftrace agent 0.1.0"}]""")
            .Answer("/api/hosts/web-02/events", """[{"kind":"probe","at":"2026-11-26T05:20:00Z","probe":"pagefaults","detail":"failed · exit 1"}]""");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/history?probe=pagefaults&{Range}");

        var page = Render<History>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".event-marks li").Count), Settle);
        Assert.Equal(
            ["05:20:00 UTC web-02 pagefaults failed · exit 1", "05:40:00 UTC web-01 reconnected (bpftrace agent 0.1.0)"],
            page.FindAll(".event-marks li").Select(li => li.TextContent));
        Assert.Equal(["web-02", "web-01"], page.FindAll(".event-marks li").Select(li => li.GetAttribute("data-host")));
        var asked = Api.Requests.Last(u => u.AbsolutePath == "/api/hosts/web-01/events").Query;
        Assert.Contains("from=2026-11-26T05%3A00%3A00", asked, StringComparison.Ordinal);
        Assert.Contains("to=2026-11-26T06%3A00%3A00", asked, StringComparison.Ordinal);
        Assert.Empty(page.FindAll(".events-limited"));
    }

    [Fact]
    public void Render_OneHostsEventsUnreadable_TheOthersStillMarked()
    {
        // web-01's events answer 404 (no answer set): a host renamed or gone since its data was stored.
        Api.Answer("/api/series", SeriesOf(["web-01", "web-02"]))
            .Answer("/api/hosts/web-02/events", """[{"kind":"disconnected","at":"2026-11-26T05:20:00Z","probe":null,"detail":""}]""");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/history?probe=pagefaults&{Range}");

        var page = Render<History>();

        page.WaitForAssertion(() => Assert.Equal(["05:20:00 UTC web-02 disconnected"], page.FindAll(".event-marks li").Select(li => li.TextContent)), Settle);
        Assert.Contains(Api.Requests, u => u.AbsolutePath == "/api/hosts/web-01/events");
        Assert.Empty(page.FindAll(".problem"));
    }

    [Fact]
    public void Render_MoreHostsChartedThanMarked_EventsOfTheFirstOnesAndAHintSayingSo()
    {
        var hosts = Enumerable.Range(1, EventMarks.MaxHosts + 2).Select(i => $"web-{i:00}").ToList();
        Api.Answer("/api/series", SeriesOf(hosts));
        foreach (var host in hosts)
        {
            Api.Answer($"/api/hosts/{host}/events", """[{"kind":"connected","at":"2026-11-26T05:10:00Z","probe":null,"detail":""}]""");
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo($"/history?probe=pagefaults&{Range}");

        var page = Render<History>();

        page.WaitForAssertion(() => Assert.Equal(EventMarks.MaxHosts, page.FindAll(".event-marks li").Count), Settle);
        Assert.Equal(hosts.Take(EventMarks.MaxHosts), page.FindAll(".event-marks li").Select(li => li.GetAttribute("data-host")!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Api.Requests, u => u.AbsolutePath == $"/api/hosts/{hosts[^1]}/events");
        Assert.Contains(
            string.Create(CultureInfo.InvariantCulture, $"first {EventMarks.MaxHosts} of the {hosts.Count} hosts charted"),
            page.Find(".events-limited").TextContent, StringComparison.Ordinal);
    }
}
