using System.Globalization;
using System.Web;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Tracefleet.Web.Components;
using Tracefleet.Web.Pages;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Pages;

public sealed class HostPageTests : UiTestContext
{
    private const string Detail = """
        {"name":"web-01","os":"linux","online":true,"lastSeen":"2026-11-26T06:00:00Z","firstSeen":"2026-11-26T05:00:00Z",
         "backend":"bpftrace","kernel":"6.18","agentVersion":"0.1.0",
         "probes":[{"name":"pagefaults","variant":"pfstat.bt","limitations":"","state":"running","lastError":"","restarts":0,"malformedLines":2}]}
        """;

    private const string Latest = """
        {"host":"web-01","probe":"pagefaults","start":"2026-11-26T06:00:00Z","durationMs":1000,"sequence":7,
         "rows":[{"key":"libc.so.6","faults":12},{"key":"???","faults":3}]}
        """;

    public HostPageTests()
    {
        Api.Answer("/api/hosts/web-01", Detail).Answer("/api/hosts/web-01/latest", Latest)
            .Answer("/api/series", """{"probe":"pagefaults","from":"2026-11-26T05:45:00Z","to":"2026-11-26T06:00:00Z","stepMs":8000,"series":[]}""");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/host?host=web-01&probe=pagefaults");
    }

    [Fact]
    public void Render_LatestOfOneKey_SaysOneKey()
    {
        Api.Answer("/api/hosts/web-01/latest", Latest.Replace(""",{"key":"???","faults":3}""", "", StringComparison.Ordinal));

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.EndsWith("· sequence 7 · 1 key", page.Find(".interval span").TextContent.Trim(), StringComparison.Ordinal), Settle);
    }

    [Fact]
    public void Render_Host_LatestTableAndProbeStatusAndJoinsItsGroup()
    {
        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Equal(["libc.so.6", "???"], page.FindAll(".top-table td.key").Select(td => td.TextContent)), Settle);
        Assert.Equal("7", page.Find(".interval").GetAttribute("data-sequence"));
        Assert.EndsWith("· sequence 7 · 2 keys", page.Find(".interval span").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("running", page.Find(".probe-status td.state-running").TextContent);
        Assert.Contains("JoinHost web-01", Live.Calls);
    }

    [Fact]
    public void LiveSnapshot_ThisHost_TableReplacedWithoutReload()
    {
        var page = Render<HostPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".top-table td.key").Count), Settle);

        Live.Push(Snapshot("web-01", 8, LiveRow.Of(ProbeCatalogue.PageFaults, "ld-linux-x86-64.so.2", [99])));

        page.WaitForAssertion(() => Assert.Equal(["ld-linux-x86-64.so.2"], page.FindAll(".top-table td.key").Select(td => td.TextContent)), Settle);
        Assert.Equal("8", page.Find(".interval").GetAttribute("data-sequence"));
        Assert.Equal("99", page.Find(".top-table td.num").TextContent);
    }

    [Fact]
    public void LiveSnapshot_AnotherHost_Ignored()
    {
        var page = Render<HostPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".top-table td.key").Count), Settle);

        Live.Push(Snapshot("web-02", 100, LiveRow.Of(ProbeCatalogue.PageFaults, "elsewhere", [1])));

        Assert.Equal("7", page.Find(".interval").GetAttribute("data-sequence"));
        Assert.DoesNotContain("elsewhere", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ReplayingHostWithoutKernel_FactsWithoutAnEmptyOne()
    {
        Api.Answer("/api/hosts/web-01", """
            {"name":"web-01","os":"linux","online":true,"lastSeen":"2026-11-26T06:00:00Z","firstSeen":"2026-11-26T05:00:00Z",
             "backend":"replay","kernel":"","agentVersion":"0.1.0","probes":[]}
            """);

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Equal(["linux", "backend replay", "agent 0.1.0"], page.FindAll(".facts span:not(.status)").Select(s => s.TextContent)), Settle);
        Assert.DoesNotContain("· ·", page.Find(".facts").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AgentClockAnHourBehindAndRefusedSnapshots_ShownAndWarned()
    {
        Api.Answer("/api/hosts/web-01", """
            {"name":"web-01","os":"linux","online":true,"lastSeen":"2026-11-26T06:00:00Z","firstSeen":"2026-11-26T05:00:00Z",
             "backend":"bpftrace","kernel":"6.18","agentVersion":"0.1.0",
             "clock":{"offsetSeconds":-3600.4,"measuredAt":"2026-11-26T06:00:00Z","skewed":true},
             "probes":[{"name":"pagefaults","variant":"pfstat.bt","limitations":"","state":"running","lastError":"","restarts":0,"malformedLines":2,
                        "rejectedSnapshots":3,"lastRejection":"snapshot 9 starts 3600 s ahead of the server's clock"}]}
            """);

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Contains("agent clock 3600.4 s behind the server", page.Find(".clock.skewed").TextContent, StringComparison.Ordinal), Settle);
        Assert.Contains("Check NTP", page.Find(".clock").TextContent, StringComparison.Ordinal);
        var refused = page.Find(".probe-status td.refused");
        Assert.StartsWith("3", refused.TextContent, StringComparison.Ordinal);
        Assert.Contains("3600 s ahead of the server's clock", refused.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoRowsBecauseTheServerRefusedThem_SaysSoWithTheReason()
    {
        Api.Answer("/api/hosts/web-01", Detail.Replace("\"malformedLines\":2}", "\"malformedLines\":2,\"rejectedSnapshots\":40,\"lastRejection\":\"snapshot 40 starts 3600 s ahead of the server's clock\"}", StringComparison.Ordinal))
            .Answer("/api/hosts/web-01/latest", """{"host":"web-01","probe":"pagefaults","start":null,"durationMs":0,"sequence":0,"rows":[]}""");

        var page = Render<HostPage>();

        page.WaitForAssertion(
            () => Assert.Equal(
                "No rows stored: the server refused 40 of this probe's snapshots (kept in the agent's rejected/ folder). The last: snapshot 40 starts 3600 s ahead of the server's clock",
                page.Find(".table .state.empty").TextContent),
            Settle);
    }

    [Fact]
    public void Render_ProbeWithACostAndASuspendedOne_CostAndSuspensionFromTheApiAnswer()
    {
        Api.Answer("/api/hosts/web-01", """
            {"name":"web-01","os":"linux","online":true,"lastSeen":"2026-11-26T06:00:00Z","firstSeen":"2026-11-26T05:00:00Z",
             "backend":"bpftrace","kernel":"6.18","agentVersion":"0.1.0",
             "probes":[{"name":"pagefaults","variant":"pfstat.bt","limitations":"","state":"running","lastError":"","restarts":0,"malformedLines":2,"retryAt":null,
                        "cost":{"tracerCpuPercent":1.5,"tracerRssBytes":48200000,"kernelTimeKnown":true,"kernelCpuPercent":0.75,"kernelRunsPerSecond":1500,
                                "eventsPerSecond":1200,"outputBytesPerSecond":900,"budgetCpuPercent":5,"windowSeconds":5,"measuredAt":"2026-11-26T06:00:00Z"}},
                       {"name":"kmem","variant":"kmemstat.bt","limitations":"","state":"suspended","lastError":"suspended: 7.2% > 5%","restarts":0,"malformedLines":0,
                        "retryAt":"2026-11-26T06:05:00Z","cost":null}]}
            """);

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Equal("1.5 %", page.Find(".probe-cost tr[data-probe=pagefaults] td.tracer-cpu").TextContent), Settle);
        Assert.Equal("0.75 %", page.Find(".probe-cost tr[data-probe=pagefaults] td.kernel-cpu").TextContent);
        Assert.Equal("48.2 MB", page.Find(".probe-cost tr[data-probe=pagefaults] td.rss").TextContent);
        Assert.Equal("not measured", page.Find(".probe-cost tr[data-probe=kmem] td.not-measured").TextContent);
        Assert.Equal("suspended · retried at 2026-11-26 06:05:00 UTC", page.Find(".probe-status tr[data-probe=kmem] td.state-suspended").TextContent);
        Assert.Equal("suspended: 7.2% > 5%", page.Find(".probe-status tr[data-probe=kmem] td.error").TextContent);
    }

    [Fact]
    public void Render_AgentClockInStep_NoWarning()
    {
        Api.Answer("/api/hosts/web-01", Detail.Replace("\"probes\":", "\"clock\":{\"offsetSeconds\":-0.2,\"measuredAt\":\"2026-11-26T06:00:00Z\",\"skewed\":false},\"probes\":", StringComparison.Ordinal));

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Equal("agent clock 0.2 s behind the server", page.Find(".clock").TextContent.Trim()), Settle);
        Assert.Empty(page.FindAll(".clock.skewed"));
    }

    [Fact]
    public void Render_KeysFoldedInTheLastHour_NoteNamesTheCountAndTheSetting()
    {
        Api.Answer("/api/hosts/web-01", Detail.Replace(
            "\"malformedLines\":2}", "\"malformedLines\":2,\"keyBudget\":20000,\"keysTracked\":20000,\"keysFoldedLastHour\":412,\"keysFolded\":9031}",
            StringComparison.Ordinal));

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Equal("pagefaults", page.Find(".keys-folded").GetAttribute("data-probe")), Settle);
        Assert.Equal(
            "412 keys folded into (other) in the last hour (9,031 since the server started): this host has more distinct keys than "
            + "Limits:MaxKeysPerHost (20,000); the least busy are summed into (other), totals stay exact.",
            page.Find(".keys-folded").TextContent);
    }

    [Fact]
    public void Render_NothingFoldedInTheLastHour_NoNote()
    {
        Api.Answer("/api/hosts/web-01", Detail.Replace(
            "\"malformedLines\":2}", "\"malformedLines\":2,\"keyBudget\":20000,\"keysTracked\":20000,\"keysFoldedLastHour\":0,\"keysFolded\":9031}",
            StringComparison.Ordinal));

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".top-table td.key").Count), Settle);
        Assert.Empty(page.FindAll(".keys-folded"));
    }

    [Fact]
    public void Render_UnknownHost_SaysSo()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/host?host=nobody");

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Contains("no host named \"nobody\"", page.Find(".load-problem").TextContent, StringComparison.Ordinal), Settle);
    }

    [Fact]
    public void Render_KeyOnAHostWithAFiringAlert_MarkedOnTheTrendOnlyThisProbesRules()
    {
        var started = DateTime.UtcNow.AddMinutes(-2);
        AnswerTrend(started);
        Api.Answer("/api/alerts/history", $$"""
            [{"at":"{{Iso(started)}}","rule":"faults-high","host":"web-01","key":"libc.so.6","from":"pending","to":"firing","value":1500,"notified":true,"silenced":false},
             {"at":"{{Iso(started)}}","rule":"slab-churn","host":"web-01","key":"dentry","from":"pending","to":"firing","value":9,"notified":true,"silenced":false}]
            """);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/host?host=web-01&probe=pagefaults&key=libc.so.6");

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".alert-marks li.alert-mark")), Settle);
        var mark = page.Find(".alert-marks li.alert-mark");
        Assert.Equal($"faults-high · libc.so.6 on web-01: firing {started:HH:mm:ss} – on UTC", mark.TextContent);
        Assert.Contains("still-firing", mark.ClassList);
        var asked = Api.Requests.Last(u => u.AbsolutePath == "/api/alerts/history");
        Assert.Equal("web-01", HttpUtility.ParseQueryString(asked.Query)["host"]);
    }

    [Fact]
    public void AlertEvent_ThisHost_TrendMarksReadAgain()
    {
        var started = DateTime.UtcNow.AddMinutes(-1);
        AnswerTrend(started);
        Api.Answer("/api/alerts/history", "[]");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/host?host=web-01&probe=pagefaults&key=libc.so.6");
        var page = Render<HostPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".trend-panel .rz-line-series")), Settle);
        Assert.Empty(page.FindAll(".alert-marks"));

        Api.Answer("/api/alerts/history", $$"""
            [{"at":"{{Iso(started)}}","rule":"faults-high","host":"web-01","key":"libc.so.6","from":"pending","to":"firing","value":1500,"notified":true,"silenced":false}]
            """);
        Live.Push(new LiveAlert(started, "faults-high", "web-01", "libc.so.6", "pending", "firing", 1500, "critical", Notified: true, Silenced: false));

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".alert-marks li.alert-mark")), Settle);
    }

    [Fact]
    public void LiveSnapshots_TwentyMinutesOfThemWithAKeyOpen_TrendHoldsTheRangesFifteenMinutesOnly()
    {
        var now = DateTime.UtcNow;
        AnswerTrend(now);
        Api.Answer("/api/alerts/history", "[]").Answer("/api/series", $$"""
            {"probe":"pagefaults","from":"{{Iso(now.AddMinutes(-15))}}","to":"{{Iso(now)}}","stepMs":1000,
             "series":[{"host":"web-01","key":"libc.so.6","points":[{"t":"{{Iso(now.AddMinutes(-1))}}","faults":5},{"t":"{{Iso(now.AddSeconds(-30))}}","faults":9}]}]}
            """);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/host?host=web-01&probe=pagefaults&key=libc.so.6");
        var page = Render<HostPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".trend-panel .rz-line-series")), Settle);

        // After the answer's end: what starts before it, the answer counts already.
        var first = now.AddSeconds(1);
        for (var second = 0; second < 1200; second++)
        {
            Live.Push(Snapshot("web-01", 100 + (ulong)second, first.AddSeconds(second), LiveRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [(ulong)second])));
        }

        var end = first.AddSeconds(1200);
        page.WaitForAssertion(() => Assert.Equal("1299", page.Find(".interval").GetAttribute("data-sequence")), Settle);
        var line = KeyTrend(page).Lines!.Single();
        Assert.Equal("libc.so.6 · faults/s", line.Title);
        // Seconds 300 to 1199 of the stream, a point each (the answer's step is a second): the range's fifteen minutes back from the newest, nothing older kept.
        Assert.Equal(900, line.Points.Count);
        Assert.Equal(end.AddMinutes(-15), line.Points.Min(p => p.T));
        Assert.Equal(1199, line.Points.Max(p => p.Value));
    }

    [Fact]
    public async Task ClickKey_LaterOnALiveRange_TrendReadForTheRangeAsItIsNowNotWhenThePageOpened()
    {
        Api.Answer("/api/alerts/history", "[]");
        var page = Render<HostPage>();
        page.WaitForAssertion(() => Assert.Single(Api.Requests, u => u.AbsolutePath == "/api/series"), Settle);
        var totalsFrom = From(Api.Requests.Single(u => u.AbsolutePath == "/api/series"));
        await Task.Delay(50);

        Services.GetRequiredService<NavigationManager>().NavigateTo("/host?host=web-01&probe=pagefaults&key=libc.so.6");

        page.WaitForAssertion(() => Assert.Equal(2, Api.Requests.Count(u => u.AbsolutePath == "/api/series")), Settle);
        Assert.True(From(Api.Requests.Last(u => u.AbsolutePath == "/api/series")) > totalsFrom, "the trend's range should start later than the totals' did");
    }

    private static DateTime From(Uri request) => Time(request, "from");

    private static DateTime To(Uri request) => Time(request, "to");

    private static DateTime Time(Uri request, string name) =>
        DateTime.Parse(HttpUtility.ParseQueryString(request.Query)[name]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    [Fact]
    public void Render_RangeInTheUrl_ChartsReadForItInAbout120Steps()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/host?host=web-01&probe=pagefaults&range=1h");

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(SeriesAsked()), Settle);
        var asked = HttpUtility.ParseQueryString(SeriesAsked()[0].Query);
        var (from, to) = (DateTime.Parse(asked["from"]!, System.Globalization.CultureInfo.InvariantCulture), DateTime.Parse(asked["to"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromHours(1), to - from);
        Assert.Equal("30s", asked["step"]);
        Assert.Equal("web-01", asked["host"]);
        Assert.Null(asked["key"]);
        Assert.Equal("1h", page.Find(".range-picker select").GetAttribute("value"));
        page.WaitForAssertion(() => Assert.Contains("live", page.Find(".host-totals h2").TextContent, StringComparison.Ordinal), Settle);
    }

    [Fact]
    public void Render_KmemOverAnAbsoluteRange_TotalsALinePerColumnAndTheNetPerSecond()
    {
        Api.Answer("/api/series", """
            {"probe":"kmem","from":"2026-11-26T05:00:00Z","to":"2026-11-26T06:00:00Z","stepMs":30000,
             "series":[{"host":"web-01","key":null,"points":[{"t":"2026-11-26T05:00:00Z","allocs":300,"frees":600},{"t":"2026-11-26T05:00:30Z","allocs":60,"frees":30}]}]}
            """);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/host?host=web-01&probe=kmem&from=2026-11-26T05:00:00Z&to=2026-11-26T06:00:00Z");

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".host-totals .rz-line-series").Count), Settle);
        var lines = Totals(page).Lines!;
        Assert.Equal(["allocs/s", "frees/s", "net/s"], lines.Select(l => l.Title));
        Assert.Equal([10.0, 2.0], lines[0].Points.Select(p => p.Value));
        Assert.Equal([20.0, 1.0], lines[1].Points.Select(p => p.Value));
        Assert.Equal([-10.0, 1.0], lines[2].Points.Select(p => p.Value));
        Assert.Equal("allocs/s: allocations per second · frees/s: frees per second · net/s: allocs − frees per second. Each point: a step of 30 s, its sum ÷ 30, each column shaded from its lowest to its busiest second.",
            page.Find(".host-totals .units").TextContent);
        Assert.Empty(page.FindAll(".host-totals .live"));
        Assert.Equal("absolute", page.Find(".range-picker select").GetAttribute("value"));
    }

    [Fact]
    public void Render_HostEventsInTheRange_MarkedOnTheTotalsAndListedUnderThem()
    {
        Api.Answer("/api/series", """
            {"probe":"pagefaults","from":"2026-11-26T05:00:00Z","to":"2026-11-26T06:00:00Z","stepMs":30000,
             "series":[{"host":"web-01","key":null,"points":[{"t":"2026-11-26T05:00:00Z","faults":300},{"t":"2026-11-26T05:30:00Z","faults":60}]}]}
            """).Answer("/api/hosts/web-01/events", """
            [{"kind":"reconnected","at":"2026-11-26T05:40:00Z","probe":null,"detail":"bpftrace agent 0.1.0"},
             {"kind":"probe","at":"2026-11-26T05:20:00Z","probe":"pagefaults","detail":"failed · exit 1"}]
            """);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/host?host=web-01&probe=pagefaults&from=2026-11-26T05:00:00Z&to=2026-11-26T06:00:00Z");

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".host-totals .event-marks li").Count), Settle);
        Assert.Equal(
            ["05:40:00 UTC reconnected (bpftrace agent 0.1.0)", "05:20:00 UTC pagefaults failed · exit 1"],
            page.FindAll(".host-totals .event-marks li").Select(li => li.TextContent));
        Assert.Equal(3, page.FindAll(".host-totals .rz-line-series").Count);
        var asked = HttpUtility.ParseQueryString(Api.Requests.Last(u => u.AbsolutePath == "/api/hosts/web-01/events").Query);
        Assert.StartsWith("2026-11-26T05:00:00", asked["from"], StringComparison.Ordinal);
        Assert.StartsWith("2026-11-26T06:00:00", asked["to"], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoProbeInTheUrl_HostOpensOnTheFirstProbeItRuns()
    {
        Api.Answer("/api/hosts/db-01", Detail.Replace("web-01", "db-01", StringComparison.Ordinal).Replace("\"pagefaults\"", "\"kmem\"", StringComparison.Ordinal));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/host?host=db-01");

        var page = Render<HostPage>();

        page.WaitForAssertion(() => Assert.Contains(Api.Requests, u => u.AbsolutePath == "/api/series"), Settle);
        Assert.Equal("kmem", HttpUtility.ParseQueryString(Api.Requests.First(u => u.AbsolutePath == "/api/series").Query)["probe"]);
    }

    [Fact]
    public void LiveSnapshot_AfterASilence_HostEventsReadAgainUpToNow()
    {
        var page = Render<HostPage>();
        page.WaitForAssertion(() => Assert.Single(Api.Requests, u => u.AbsolutePath == "/api/hosts/web-01/events"), Settle);
        var first = DateTime.UtcNow.AddSeconds(-30);

        Live.Push(Snapshot("web-01", 1, first, LiveRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [1])));
        Live.Push(Snapshot("web-01", 2, first.AddSeconds(1), LiveRow.Of(ProbeCatalogue.PageFaults, "ld.so", [2])));
        page.WaitForAssertion(() => Assert.Contains("ld.so", page.Find(".top-table tbody").TextContent, StringComparison.Ordinal), Settle);
        // Seconds one after the other: nothing happened to the host.
        Assert.Single(Api.Requests, u => u.AbsolutePath == "/api/hosts/web-01/events");

        // Twenty seconds without a snapshot, then one: its agent reconnected, or the probe restarted.
        Live.Push(Snapshot("web-01", 3, first.AddSeconds(21), LiveRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [3])));

        page.WaitForAssertion(() => Assert.Equal(2, Api.Requests.Count(u => u.AbsolutePath == "/api/hosts/web-01/events")), Settle);
        var asked = Api.Requests.Where(u => u.AbsolutePath == "/api/hosts/web-01/events").Select(u => To(u)).ToList();
        Assert.True(asked[1] > asked[0], $"read again up to now: {asked[0]:O}, then {asked[1]:O}");
    }

    [Fact]
    public void LiveSnapshot_AbsoluteRange_TableLiveButTotalsUnchanged()
    {
        Api.Answer("/api/series", """
            {"probe":"pagefaults","from":"2026-11-26T05:00:00Z","to":"2026-11-26T06:00:00Z","stepMs":30000,
             "series":[{"host":"web-01","key":null,"points":[{"t":"2026-11-26T05:00:00Z","faults":300}]}]}
            """);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/host?host=web-01&probe=pagefaults&from=2026-11-26T05:00:00Z&to=2026-11-26T06:00:00Z");
        var page = Render<HostPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".host-totals .rz-line-series")), Settle);

        Live.Push(Snapshot("web-01", 8, new DateTime(2026, 11, 26, 5, 30, 0, DateTimeKind.Utc), LiveRow.Of(ProbeCatalogue.PageFaults, "ld-linux-x86-64.so.2", [99])));

        page.WaitForAssertion(() => Assert.Equal("8", page.Find(".interval").GetAttribute("data-sequence")), Settle);
        Assert.Equal([10.0], Totals(page).Lines!.Single().Points.Select(p => p.Value));
    }

    [Fact]
    public void LiveSnapshots_TwentyMinutesOfThemOnFifteen_TotalsHoldTheRangesStepsOnly()
    {
        var now = DateTime.UtcNow;
        Api.Answer("/api/series", $$"""
            {"probe":"pagefaults","from":"{{Iso(now.AddMinutes(-15))}}","to":"{{Iso(now)}}","stepMs":8000,
             "series":[{"host":"web-01","key":null,"points":[{"t":"{{Iso(now.AddMinutes(-15))}}","faults":800}]}]}
            """);
        var page = Render<HostPage>();
        page.WaitForAssertion(() => Assert.Single(Totals(page).Lines!.Single().Points), Settle);

        var first = now.AddSeconds(1);
        for (var second = 0; second < 1200; second++)
        {
            Live.Push(Snapshot("web-01", 100 + (ulong)second, first.AddSeconds(second),
                LiveRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [(ulong)second]), LiveRow.Of(ProbeCatalogue.PageFaults, "???", [1])));
        }

        var end = first.AddSeconds(1200);
        page.WaitForAssertion(() => Assert.Equal("1299", page.Find(".interval").GetAttribute("data-sequence")), Settle);
        var points = Totals(page).Lines!.Single().Points;
        // Fifteen minutes in steps of 8 s: 112 whole steps and the one still filling, however long the stream runs.
        Assert.InRange(points.Count, 112, 114);
        Assert.All(points, p => Assert.True(p.T >= end.AddMinutes(-15), $"{p.T:O} is before the range"));
        // Each second sums both keys: second + 1 faults, so the newest whole step's rate is its middle second + 1.5.
        var newestWhole = points[^2];
        var secondAt = (newestWhole.T - first).TotalSeconds;
        Assert.Equal(secondAt + 3.5 + 1, newestWhole.Value, 6);
    }

    [Fact]
    public void TableSource_ChosenRange_TableListsTheRangesTopKeysThenTheLatestSecondAgain()
    {
        Api.Answer("/api/fleet/top", """[{"key":"ld-linux-x86-64.so.2","faults":40000,"hosts":1},{"key":"libm.so.6","faults":900,"hosts":1}]""");
        var page = Render<HostPage>();
        page.WaitForAssertion(() => Assert.Equal(["libc.so.6", "???"], page.FindAll(".top-table td.key").Select(td => td.TextContent)), Settle);
        Assert.DoesNotContain(Api.Requests, u => u.AbsolutePath == "/api/fleet/top");

        page.FindAll(".table-source button")[1].Click();

        page.WaitForAssertion(() => Assert.Equal(["ld-linux-x86-64.so.2", "libm.so.6"], page.FindAll(".top-table td.key").Select(td => td.TextContent)), Settle);
        Assert.Equal("range", HttpUtility.ParseQueryString(new Uri(Services.GetRequiredService<NavigationManager>().Uri).Query)["table"]);
        Assert.Equal("true", page.FindAll(".table-source button")[1].GetAttribute("aria-pressed"));
        Assert.Contains("totals over last 15 minutes (sums over the range, not per second)", page.Find(".range-note").TextContent, StringComparison.Ordinal);
        var asked = HttpUtility.ParseQueryString(Api.Requests.Last(u => u.AbsolutePath == "/api/fleet/top").Query);
        Assert.Equal(("web-01", "pagefaults"), (asked["host"], asked["probe"]));

        page.FindAll(".table-source button")[0].Click();

        page.WaitForAssertion(() => Assert.Equal(["libc.so.6", "???"], page.FindAll(".top-table td.key").Select(td => td.TextContent)), Settle);
        Assert.Equal("7", page.Find(".interval").GetAttribute("data-sequence"));
    }

    [Fact]
    public void LiveSnapshots_BurstOfThisProbeAndAnotherProbes_FewRendersAndLatestShown()
    {
        var page = Render<HostPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".top-table td.key").Count), Settle);
        var before = page.RenderCount;

        for (ulong sequence = 8; sequence < 208; sequence++)
        {
            Live.Push(new LiveSnapshot("web-01", "kmem", sequence, DateTime.UtcNow, 1000, DateTime.UtcNow, DateTime.UtcNow,
                [LiveRow.Of(ProbeCatalogue.Kmem, "dentry", [sequence, 1])]));
            Live.Push(Snapshot("web-01", sequence, LiveRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [sequence])));
        }

        page.WaitForAssertion(() => Assert.Equal("207", page.Find(".interval").GetAttribute("data-sequence")), Settle);
        // 400 snapshots, half of the probe not shown: a few renders a second, not one each (the bound leaves room for a slow machine).
        Assert.InRange(page.RenderCount - before, 1, 20);
    }

    private void AnswerTrend(DateTime around)
    {
        Api.Answer("/api/series", $$"""
            {"probe":"pagefaults","from":"{{Iso(around.AddMinutes(-3))}}","to":"{{Iso(around.AddMinutes(3))}}","stepMs":1000,
             "series":[{"host":"web-01","key":"libc.so.6","points":[{"t":"{{Iso(around.AddMinutes(-1))}}","faults":5},{"t":"{{Iso(around.AddMinutes(1))}}","faults":9}]}]}
            """).Answer("/api/rules", """
            [{"name":"faults-high","probe":"pagefaults","column":"faults","key":null,"hosts":null,"above":1000,"below":null,"window":"1m","for":"0s",
              "clear":null,"keepFiringFor":"0s","noData":"ignore","severity":"critical","labels":{},"annotations":{},"source":"api"},
             {"name":"slab-churn","probe":"kmem","column":"allocs","key":null,"hosts":null,"above":5,"below":null,"window":"1m","for":"0s",
              "clear":null,"keepFiringFor":"0s","noData":"ignore","severity":"warning","labels":{},"annotations":{},"source":"api"}]
            """);
    }

    /// <summary>The chart of the host's totals.</summary>
    private static TrendChart Totals(IRenderedComponent<HostPage> page) => page.FindComponent<HostTotalsChart>().FindComponent<TrendChart>().Instance;

    /// <summary>The chart of the key's trend: the one outside the totals.</summary>
    private static TrendChart KeyTrend(IRenderedComponent<HostPage> page) => page.FindComponents<TrendChart>().Select(c => c.Instance).Except([Totals(page)]).Single();

    private List<Uri> SeriesAsked() => [.. Api.Requests.Where(u => u.AbsolutePath == "/api/series")];

    private static string Iso(DateTime time) => time.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static LiveSnapshot Snapshot(string host, ulong sequence, params LiveRow[] rows) =>
        Snapshot(host, sequence, DateTime.UtcNow.AddSeconds(-1), rows);

    private static LiveSnapshot Snapshot(string host, ulong sequence, DateTime start, params LiveRow[] rows) =>
        new(host, "pagefaults", sequence, start, 1000, DateTime.UtcNow, DateTime.UtcNow, rows);
}
