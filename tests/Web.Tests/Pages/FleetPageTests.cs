using System.Net;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Tracefleet.Web.Pages;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Pages;

public sealed class FleetPageTests : UiTestContext
{
    /// <summary>The fleet's totals answer with no data unless a test answers otherwise: the page's other parts are what most tests look at.</summary>
    public FleetPageTests() =>
        Api.Answer("/api/fleet/series", """{"probe":"kmem","from":"2026-11-26T05:45:00Z","to":"2026-11-26T06:00:00Z","stepMs":8000,"hosts":0,"points":[]}""");

    private const string Summary = """
        {"at":"2026-11-26T06:00:00Z","windowSeconds":60,"reporting":1,"known":2,"hosts":[
          {"name":"web-01","os":"linux","backend":"bpftrace","online":true,"reporting":true,"lastSeen":"2026-11-26T06:00:00Z","probes":["pagefaults","kmem"],
           "faults":[1,2,3],"allocs":[10,20,30],"frees":[0,0,0],"topFile":"???","topFileNamed":"libc.so.6","topCache":"dentry","topCacheNamed":"dentry"},
          {"name":"zfs-01","os":"solaris","backend":"dtrace","online":false,"reporting":false,"lastSeen":"2026-11-25T06:00:00Z","probes":["pagefaults"],
           "faults":[0,0,0],"allocs":[0,0,0],"frees":[0,0,0],"topFile":null,"topFileNamed":null,"topCache":null,"topCacheNamed":null}]}
        """;

    [Fact]
    public void Render_Summary_EveryHostWithStatusAndReportingCount()
    {
        Api.Answer("/api/fleet/summary", Summary);

        var page = Render<Fleet>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count), Settle);
        Assert.Equal("1 of 2 hosts reporting", page.Find(".reporting strong").TextContent);
        Assert.Equal(["online", "offline"], page.FindAll(".status").Select(s => s.TextContent));
        Assert.Equal(["web-01", "zfs-01"], page.FindAll("tbody tr").Select(tr => tr.GetAttribute("data-host")));
        Assert.Contains("JoinFleet", Live.Calls);
    }

    [Fact]
    public void FleetEvent_HostStartsReporting_StatusAndCountFollowWithoutReload()
    {
        Api.Answer("/api/fleet/summary", Summary);
        var page = Render<Fleet>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count), Settle);

        Live.Push(new FleetSecond(DateTime.UtcNow, 1000, 2, 2,
        [
            Host("web-01", 7, 70, 7, "ld.so", "dentry"),
            Host("zfs-01", 5, 50, 5, "/usr/lib/libc.so.1", "kmem_alloc_64"),
        ]));

        page.WaitForAssertion(() => Assert.Equal("2 of 2 hosts reporting", page.Find(".reporting strong").TextContent), Settle);
        Assert.Equal(["online", "online"], page.FindAll(".status").Select(s => s.TextContent));
        Assert.Equal("/usr/lib/libc.so.1", page.FindAll("tr[data-host='zfs-01'] td.key")[0].TextContent);
        Assert.Equal("7/s", page.Find("tr[data-host='web-01'] td.faults .last").TextContent);
    }

    [Fact]
    public void Render_CountsPastLongRange_ExactThenSaturatedMarked()
    {
        Api.Answer("/api/fleet/summary", """
            {"at":"2026-11-26T06:00:00Z","windowSeconds":60,"reporting":1,"known":1,"hosts":[
              {"name":"big-01","os":"linux","backend":"bpftrace","online":true,"reporting":true,"lastSeen":"2026-11-26T06:00:00Z","probes":["pagefaults","kmem"],
               "faults":[0],"allocs":[5000000000000000000,10000000000000000000],"frees":[0,0],"topFile":null,"topCache":"x"}]}
            """);
        var page = Render<Fleet>();
        page.WaitForAssertion(() => Assert.Equal("10,000,000,000,000,000,000/s", page.Find("tr[data-host='big-01'] td.allocs .last").TextContent), Settle);

        Live.Push(new FleetSecond(DateTime.UtcNow, 1000, 1, 1, [Host("big-01", 0, ulong.MaxValue, 0, null, "x")]));

        page.WaitForAssertion(
            () => Assert.Equal("≥ 18,446,744,073,709,551,615/s (saturated)", page.Find("tr[data-host='big-01'] td.allocs .last.saturated").TextContent), Settle);
    }

    [Fact]
    public void Render_ServerRefuses_PlainSentenceWithTheServersWords()
    {
        Api.Answer("/api/fleet/summary", """
            {"title":"Service unavailable","status":503,"detail":"the store cannot be read now; try again in a moment"}
            """, HttpStatusCode.ServiceUnavailable);

        var page = Render<Fleet>();

        page.WaitForAssertion(() => Assert.Equal(
            "The server answered 503 Service Unavailable: the store cannot be read now; try again in a moment", page.Find(".load-problem span").TextContent), Settle);
        Assert.Equal("Could not load the fleet:", page.Find(".load-problem strong").TextContent);
    }

    [Fact]
    public void Render_SortAndFilterInUrl_Applied()
    {
        Api.Answer("/api/fleet/summary", Summary);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?filter=dtrace");

        var page = Render<Fleet>();

        page.WaitForAssertion(() => Assert.Equal(["zfs-01"], page.FindAll("tbody tr").Select(tr => tr.GetAttribute("data-host"))), Settle);
    }

    [Fact]
    public void Render_ApiFails_SaysWhyInsteadOfAnEmptyFleet()
    {
        Api.Answer("/api/fleet/summary", """{"title":"boom"}""", HttpStatusCode.InternalServerError);

        var page = Render<Fleet>();

        page.WaitForAssertion(() => Assert.Contains("500", page.Find(".load-problem").TextContent, StringComparison.Ordinal), Settle);
    }

    [Fact]
    public void Render_Summary_HostWithoutAProbeDashedAndNamedFileBesideUnnamed()
    {
        Api.Answer("/api/fleet/summary", Summary);

        var page = Render<Fleet>();

        page.WaitForAssertion(() => Assert.Equal("—", page.Find("tr[data-host='zfs-01'] td.allocs").TextContent), Settle);
        Assert.Equal("does not run this probe", page.Find("tr[data-host='zfs-01'] td.allocs").GetAttribute("aria-label"));
        Assert.Equal("0/s", page.Find("tr[data-host='zfs-01'] td.faults .last").TextContent);
        Assert.Equal("??? · libc.so.6", page.FindAll("tr[data-host='web-01'] td.key")[0].TextContent);
    }

    [Fact]
    public void Render_FleetSeries_OneTotalsChartPerProbeOverTheDefaultRange()
    {
        Api.Answer("/api/fleet/summary", Summary);
        Api.Answer("/api/fleet/series", Series);

        var page = Render<Fleet>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("figure.totals-chart[data-probe='kmem'] .trend")), Settle);
        Assert.NotNull(page.Find("figure.totals-chart[data-probe='pagefaults'] .trend"));
        Assert.Contains("last 15 minutes, live", page.Find(".fleet-totals h2").TextContent, StringComparison.Ordinal);
        // 15 minutes in about 120 buckets.
        Assert.Contains(Api.Requests, r => r.AbsolutePath == "/api/fleet/series" && r.Query.Contains("probe=kmem", StringComparison.Ordinal) && r.Query.Contains("step=8s", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_RangeInUrl_TotalsAskedForThatRange()
    {
        Api.Answer("/api/fleet/summary", Summary);
        Api.Answer("/api/fleet/series", Series);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?range=6h");

        var page = Render<Fleet>();

        page.WaitForAssertion(() => Assert.Contains("last 6 hours", page.Find(".fleet-totals h2").TextContent, StringComparison.Ordinal), Settle);
        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r.AbsolutePath == "/api/fleet/series" && r.Query.Contains("step=180s", StringComparison.Ordinal)), Settle);
    }

    [Fact]
    public void FleetEvent_LiveSecond_AddedToTheTotalsChart()
    {
        Api.Answer("/api/fleet/summary", Summary);
        Api.Answer("/api/fleet/series", """{"probe":"kmem","from":"2026-11-26T05:45:00Z","to":"2026-11-26T06:00:00Z","stepMs":8000,"hosts":0,"points":[]}""");
        var page = Render<Fleet>();
        page.WaitForAssertion(() => Assert.Contains("No data", page.Find("figure.totals-chart[data-probe='kmem']").TextContent, StringComparison.Ordinal), Settle);

        Live.Push(new FleetSecond(DateTime.UtcNow, 1000, 2, 2, [Host("web-01", 7, 70, 7, "ld.so", "dentry"), Host("zfs-01", 5, 50, 5, "libc.so.1", null)]));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("figure.totals-chart[data-probe='kmem'] .trend")), Settle);
    }

    [Fact]
    public void Render_SeriesRefused_TotalsSayWhyAndTheHostsStillShown()
    {
        Api.Answer("/api/fleet/summary", Summary);
        Api.Answer("/api/fleet/series", """{"title":"Bad Request","status":400,"detail":"step 1s cuts the range into more than 10000 buckets"}""", HttpStatusCode.BadRequest);

        var page = Render<Fleet>();

        page.WaitForAssertion(() => Assert.Contains("more than 10000 buckets", page.Find(".fleet-totals .load-problem").TextContent, StringComparison.Ordinal), Settle);
        Assert.Equal(2, page.FindAll("tbody tr").Count);
    }

    private const string Series = """
        {"probe":"kmem","from":"2026-11-26T05:45:00Z","to":"2026-11-26T06:00:00Z","stepMs":8000,"hosts":1,
         "points":[{"t":"2026-11-26T05:45:00Z","faults":80,"allocs":800,"frees":400},{"t":"2026-11-26T05:45:08Z","faults":8,"allocs":80,"frees":40}]}
        """;

    /// <summary>An online, reporting host of the hub's fleet event with these totals and busiest keys.</summary>
    private static FleetHost Host(string name, ulong faults, ulong allocs, ulong frees, string? topFile, string? topCache)
    {
        var totals = new Dictionary<ValueColumn, ulong> { [ProbeCatalogue.Faults] = faults, [ProbeCatalogue.Allocs] = allocs, [ProbeCatalogue.Frees] = frees };
        var topKeys = new Dictionary<ProbeDefinition, string?> { [ProbeCatalogue.PageFaults] = topFile, [ProbeCatalogue.Kmem] = topCache };
        return FleetHost.Of(name, true, true, DateTime.UtcNow, c => totals[c], p => topKeys[p], p => topKeys[p]);
    }
}
