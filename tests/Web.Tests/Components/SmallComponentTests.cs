using Tracefleet.Web.Components;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Components;

public sealed class SmallComponentTests : UiTestContext
{
    private static readonly DateTime Seen = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void FleetTable_HostNameWithSpecialCharacters_LinkEscapedNameAsText()
    {
        var row = new FleetRow("a b#<c>") { Os = "linux", Backend = "bpftrace", Reporting = true, TopKeys = { [ProbeCatalogue.PageFaults] = "<img src=x>" } };

        var table = Render<FleetTable>(p => p.Add(c => c.Rows, [row]));

        Assert.Equal("host?host=a%20b%23%3Cc%3E", table.Find("td.name a").GetAttribute("href"));
        Assert.Equal("a b#<c>", table.Find("td.name a").TextContent);
        Assert.Equal("<img src=x>", table.FindAll("td.key")[0].TextContent);
        Assert.Empty(table.FindAll("img"));
        Assert.Equal("online", table.Find(".status").TextContent);
    }

    [Fact]
    public void FleetTable_NoRows_SaysHowHostsAppear()
    {
        var table = Render<FleetTable>(p => p.Add(c => c.Rows, Array.Empty<FleetRow>()));

        Assert.Contains("first connects", table.Find(".state.empty").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ProbeStatusList_ServerWithoutStatus_Unknown()
    {
        var host = new HostDetail("h", "linux", true, Seen, Seen, "bpftrace", "6.18", "0.1.0", [Probe("kmem", "kmemstat.bt", "none")], Clock: null);

        var list = Render<ProbeStatusList>(p => p.Add(c => c.Host, host));

        var cells = list.FindAll(".probe-status tbody td").Select(td => td.TextContent).ToList();
        Assert.Equal(["kmem", "bpftrace", "kmemstat.bt", "unknown", "unknown", "unknown", "unknown", "unknown", "none"], cells);
        Assert.Equal("not measured", list.Find(".probe-cost td.not-measured").TextContent);
    }

    [Fact]
    public void ProbeStatusList_FailedProbe_TracerErrorTextAsIs()
    {
        var error = "ERROR: kprobe:handle_mm_fault: <not available>\nexit 1";
        var host = new HostDetail("h", "linux", true, Seen, Seen, "bpftrace", "6.18", "0.1.0",
            [Probe("pagefaults", "pfstat_vma.bt", "") with { State = "failed", LastError = error, Restarts = 3, MalformedLines = 0, RejectedSnapshots = 0 }], Clock: null);

        var list = Render<ProbeStatusList>(p => p.Add(c => c.Host, host));

        Assert.Equal("failed", list.Find("td.state-failed").TextContent);
        Assert.Equal(error, list.Find("td.error").TextContent);
        Assert.Equal(["3", "0", "0"], list.FindAll("td.num").Select(td => td.TextContent));
    }

    [Fact]
    public void ProbeStatusList_MeasuredProbe_CostAgainstItsBudgetInATableWithHeaders()
    {
        var cost = new ProbeCostDetail(
            TracerCpuPercent: 1.5, TracerRssBytes: 48_200_000, KernelTimeKnown: true, KernelCpuPercent: 0.75, KernelRunsPerSecond: 1500, EventsPerSecond: 1234.4,
            OutputBytesPerSecond: 2048, BudgetCpuPercent: 5, WindowSeconds: 5, MeasuredAt: Seen);
        var host = new HostDetail("h", "linux", true, Seen, Seen, "bpftrace", "6.18", "0.1.0",
            [Probe("pagefaults", "pfstat.bt", "") with { State = "running", Cost = cost }], Clock: null);

        var list = Render<ProbeStatusList>(p => p.Add(c => c.Host, host));

        var table = list.Find("table.probe-cost");
        Assert.Equal(
            ["probe", "tracer CPU", "kernel CPU", "CPU / budget", "memory (RSS)", "events", "output", "measured"],
            table.QuerySelectorAll("thead th[scope=col]").Select(th => th.TextContent));
        Assert.Equal("pagefaults", table.QuerySelector("tbody th[scope=row]")?.TextContent);
        Assert.Equal(
            ["1.5 %", "0.75 %", "2.25 % of 5 %", "48.2 MB", "1,234/s", "2,048 B/s", "2026-11-26 06:00:00 UTC over 5 s"],
            table.QuerySelectorAll("tbody td").Select(td => td.TextContent));
        Assert.Empty(table.QuerySelectorAll(".budget.over"));
    }

    [Fact]
    public void ProbeStatusList_KernelTimeUnknownOrNoCost_SaysNotMeasured()
    {
        var cost = new ProbeCostDetail(2, 1_000_000, KernelTimeKnown: false, KernelCpuPercent: null, KernelRunsPerSecond: null, 10, 10, 5, 5, Seen);
        var host = new HostDetail("h", "linux", true, Seen, Seen, "bpftrace", "6.18", "0.1.0",
            [Probe("pagefaults", "pfstat.bt", "") with { Cost = cost }, Probe("kmem", "kmemstat.bt", "")], Clock: null);

        var list = Render<ProbeStatusList>(p => p.Add(c => c.Host, host));

        Assert.Equal("not measured", list.Find("tr[data-probe=pagefaults] td.kernel-cpu").TextContent);
        Assert.Equal("2 % of 5 %", list.Find("tr[data-probe=pagefaults] td.budget").TextContent);
        Assert.Equal("not measured", list.Find(".probe-cost tr[data-probe=kmem] td.not-measured").TextContent);
    }

    [Fact]
    public void ProbeStatusList_SuspendedProbe_StateReasonRetryTimeAndCostOverBudget()
    {
        var cost = new ProbeCostDetail(7.2, 1_000_000, KernelTimeKnown: false, KernelCpuPercent: null, KernelRunsPerSecond: null, 10, 10, 5, 5, Seen);
        var host = new HostDetail("h", "linux", true, Seen, Seen, "bpftrace", "6.18", "0.1.0",
            [Probe("kmem", "kmemstat.bt", "") with { State = "suspended", LastError = "suspended: 7.2% > 5%", Cost = cost, RetryAt = Seen.AddMinutes(5) }], Clock: null);

        var list = Render<ProbeStatusList>(p => p.Add(c => c.Host, host));

        Assert.Equal("suspended · retried at 2026-11-26 06:05:00 UTC", list.Find(".probe-status td.state-suspended").TextContent);
        Assert.Equal("suspended: 7.2% > 5%", list.Find(".probe-status td.error").TextContent);
        Assert.Equal("7.2 % of 5 %", list.Find(".probe-cost td.budget.over").TextContent);
    }

    [Fact]
    public void LoadProblem_Message_ShownAsAlert()
    {
        var problem = Render<LoadProblem>(p => p.Add(c => c.Title, "Could not load:").Add(c => c.Message, "503 <b>busy</b>"));

        Assert.Equal("alert", problem.Find(".load-problem").GetAttribute("role"));
        Assert.Contains("503 <b>busy</b>", problem.Find(".load-problem").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(950.0, "950")]
    [InlineData(350_000.0, "350k")]
    [InlineData(-20_000.0, "−20k")]
    [InlineData(1_240_000.0, "1.2M")]
    [InlineData(1e19, "10E")]
    [InlineData(18_446_744_073_709_551_615.0, "18.4E")]
    [InlineData(-2.5e15, "−2.5P")]
    [InlineData(-0.04, "0")]
    [InlineData(-1e-12, "0")]
    public void TrendChart_AxisLabel_Compact(double value, string expected) => Assert.Equal(expected, TrendChart.Compact(value));

    [Fact]
    public void LoadProblem_NoMessage_RendersNothing() =>
        Assert.Empty(Render<LoadProblem>(p => p.Add(c => c.Message, null)).Markup.Trim());

    /// <summary>A probe as a server describes it before its agent reports any status.</summary>
    private static ProbeDetail Probe(string name, string variant, string limitations) =>
        new(name, variant, limitations, State: null, LastError: null, Restarts: null, MalformedLines: null, LinesPerSecond: null, ReportedAt: null,
            RejectedSnapshots: null, LastRejection: null, KeyBudget: 0, KeysTracked: 0, KeysFoldedLastHour: 0, KeysFolded: 0);
}
