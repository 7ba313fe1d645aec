using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Tracefleet.Web.Components;
using Tracefleet.Web.Pages;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Pages;

public sealed class ChangesPageTests : UiTestContext
{
    private const string Changes = """
        {"probe":"pagefaults","column":"faults","from":"2026-11-26T06:00:00Z","to":"2026-11-26T06:15:00Z",
         "thenFrom":"2026-11-25T06:00:00Z","thenTo":"2026-11-25T06:15:00Z","againstMs":86400000,"hosts":["web-01"],
         "rows":[{"key":"libc.so.6","change":-300,"faults":[200,500]}]}
        """;

    private IRenderedComponent<Changes> Open(string query)
    {
        Api.Answer("/api/hosts", """[{"name":"web-01","os":"linux","backend":"bpftrace","online":true,"probes":["pagefaults","kmem"]}]""");
        Api.Answer("/api/changes", Changes);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/changes?" + query);
        return Render<Changes>();
    }

    [Fact]
    public void Open_DeepLink_AsksForWhatTheUrlSaysAndTitlesIt()
    {
        var page = Open("host=web-01&probe=kmem&from=2026-11-26T06:00:00Z&to=2026-11-26T06:15:00Z&against=7d&column=net");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")), Settle);
        var asked = Api.Requests.Last(r => r.AbsolutePath == "/api/changes").Query;
        Assert.Contains("probe=kmem", asked, StringComparison.Ordinal);
        Assert.Contains("host=web-01", asked, StringComparison.Ordinal);
        Assert.Contains("against=7d", asked, StringComparison.Ordinal);
        Assert.Contains("column=net", asked, StringComparison.Ordinal);
        Assert.Contains("from=2026-11-26T06%3A00%3A00", asked, StringComparison.Ordinal);
        Assert.Contains("web-01, the 2026-11-26 06:00 – 2026-11-26 06:15 UTC against the same window a week before", page.Find(".hint").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NothingStoredInTheEarlierWindow_SaysWhyEveryKeyIsNew()
    {
        Api.Answer("/api/changes", """
            {"probe":"pagefaults","column":"faults","from":"2026-11-26T06:00:00Z","to":"2026-11-26T06:15:00Z",
             "thenFrom":"2026-11-25T06:00:00Z","thenTo":"2026-11-25T06:15:00Z","againstMs":86400000,"hosts":["web-01"],
             "rows":[{"key":"libc.so.6","change":500,"faults":[500,null]},{"key":"ld.so","change":20,"faults":[20,null]}]}
            """);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/changes?host=web-01&from=2026-11-26T06:00:00Z&to=2026-11-26T06:15:00Z");
        var page = Render<Changes>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count), Settle);
        Assert.StartsWith("Nothing was stored in the earlier window", page.Find(".nothing-then").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SomeKeyStoredThen_NoSuchSentence()
    {
        var page = Open("host=web-01&from=2026-11-26T06:00:00Z&to=2026-11-26T06:15:00Z");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")), Settle);
        Assert.Empty(page.FindAll(".nothing-then"));
    }

    [Fact]
    public void Open_NoHostAndAnUnknownColumn_TheFleetOnTheRankedColumn()
    {
        var page = Open("probe=pagefaults&column=nosuch&against=tomorrow");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")), Settle);
        var asked = Api.Requests.Last(r => r.AbsolutePath == "/api/changes").Query;
        Assert.DoesNotContain("host=", asked, StringComparison.Ordinal);
        Assert.Contains("column=faults", asked, StringComparison.Ordinal);
        Assert.Contains("against=1d", asked, StringComparison.Ordinal);
    }

    [Fact]
    public void ClickKey_BothWindowsChartedTheEarlierMovedOntoTheLater()
    {
        Api.Answer("/api/series", """
            {"probe":"pagefaults","from":"2026-11-26T06:00:00Z","to":"2026-11-26T06:15:00Z","stepMs":60000,
             "series":[{"host":"web-01","key":"libc.so.6","points":[{"t":"2026-11-26T06:00:00Z","faults":120}]}]}
            """);
        var page = Open("host=web-01&from=2026-11-26T06:00:00Z&to=2026-11-26T06:15:00Z&against=1d");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")), Settle);

        page.Find("tbody th.key button").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.FindComponent<TrendChart>().Instance.Lines), Settle);
        var lines = page.FindComponent<TrendChart>().Instance.Lines!;
        Assert.Equal(["now", "1d earlier"], lines.Select(l => l.Title));
        var series = Api.Requests.Where(r => r.AbsolutePath == "/api/series").Select(r => Uri.UnescapeDataString(r.Query)).ToList();
        Assert.Contains(series, q => q.Contains("from=2026-11-25T06:00:00", StringComparison.Ordinal));
        // The fake answers both windows with the same point: the earlier window's is drawn a day later, where its second falls in the later window.
        Assert.Equal(lines[0].Points.Single().T.AddDays(1), lines[1].Points.Single().T);
        // Per second, as every other chart: 120 faults in a step of 60 s.
        Assert.Equal([2.0, 2.0], lines.Select(l => l.Points.Single().Value));
        Assert.Equal("faults per second: each step's sum ÷ its seconds.", page.Find(".charts .units").TextContent);
        Assert.Equal("/changes?host=web-01&from=2026-11-26T06:00:00Z&to=2026-11-26T06:15:00Z&against=1d&key=libc.so.6",
            new Uri(Services.GetRequiredService<NavigationManager>().Uri).PathAndQuery);
    }
}
