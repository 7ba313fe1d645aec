namespace Tracefleet.Web.Tests.Services;

public sealed class FleetRowsTests
{
    [Theory]
    [InlineData(true, true, "online")]
    [InlineData(true, false, "stale")]
    [InlineData(false, true, "online")]
    [InlineData(false, false, "offline")]
    public void Status_ConnectedAndReporting_NamedAsTheFleetPageShowsIt(bool online, bool reporting, string expected) =>
        Assert.Equal(expected, new FleetRow("h") { Online = online, Reporting = reporting }.Status);

    [Fact]
    public void View_SortByFaults_BusiestLastSecondFirst()
    {
        var rows = new[] { Row("a", faults: 5), Row("b", faults: 50), Row("c", faults: 5) };

        Assert.Equal(["b", "a", "c"], FleetRows.View(rows, "faults", null).Select(r => r.Name));
    }

    [Fact]
    public void View_SortByFaults_CountsPastLongRangeStillBusiest()
    {
        var rows = new[] { Row("small", faults: 5), Row("huge", faults: 10_000_000_000_000_000_000), Row("saturated", faults: ulong.MaxValue) };

        Assert.Equal(["saturated", "huge", "small"], FleetRows.View(rows, "faults", null).Select(r => r.Name));
    }

    [Fact]
    public void View_SortByStatus_OnlineThenStaleThenOffline()
    {
        var rows = new[] { Row("off"), Row("stale", online: true), Row("on", online: true, reporting: true) };

        Assert.Equal(["on", "stale", "off"], FleetRows.View(rows, "status", null).Select(r => r.Name));
    }

    [Fact]
    public void View_FilterByOs_CaseInsensitive()
    {
        var rows = new[] { Row("zfs-01", os: "solaris"), Row("web-01", os: "linux") };

        Assert.Equal(["zfs-01"], FleetRows.View(rows, null, "SOLARIS").Select(r => r.Name));
    }

    [Fact]
    public void RollingSeries_PastCapacity_KeepsTheNewest()
    {
        var series = new RollingSeries(3);
        series.AddRange([1, 2, 3, 4, 5]);

        Assert.Equal([3UL, 4, 5], series.Values);
        Assert.Equal(5UL, series.Last);
    }

    private static FleetRow Row(string name, ulong faults = 0, string os = "linux", bool online = false, bool reporting = false)
    {
        var row = new FleetRow(name) { Os = os, Online = online, Reporting = reporting };
        row.PerSecond[ProbeCatalogue.Faults].Add(faults);
        return row;
    }
}
