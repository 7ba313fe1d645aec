using Tracefleet.Web.Components;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Components;

public sealed class FleetTableTests : UiTestContext
{
    [Fact]
    public void Render_HostWithoutKmem_DashSayingItDoesNotRunItNotZero()
    {
        var row = new FleetRow("evil-01") { Os = "linux", Backend = "replay", Reporting = true, Probes = new HashSet<string>(["pagefaults"]) };
        row.PerSecond[ProbeCatalogue.Faults].Add(12);
        row.TopKeys[ProbeCatalogue.PageFaults] = "libc.so.6";

        var table = Render<FleetTable>(p => p.Add(c => c.Rows, [row]));

        var allocs = table.Find("td.allocs");
        Assert.Equal("—", allocs.TextContent);
        // The class the idle-probe tests below look for, so their "none" means what it says.
        Assert.Contains("not-run", allocs.ClassList);
        Assert.Equal(("does not run this probe", "does not run this probe"), (allocs.GetAttribute("title"), allocs.GetAttribute("aria-label")));
        Assert.Empty(allocs.QuerySelectorAll(".sparkline"));
        var topCache = table.FindAll("td.key")[1];
        Assert.Equal(("—", "does not run this probe"), (topCache.TextContent, topCache.GetAttribute("aria-label")));
        // The probe it runs keeps its number and its key.
        Assert.Equal("12/s", table.Find("td.faults .last").TextContent);
        Assert.Equal("libc.so.6", table.FindAll("td.key")[0].TextContent);
    }

    [Fact]
    public void Render_HostRunsProbeIdleInTheWindow_ZeroPerSecondNotADash()
    {
        var row = new FleetRow("web-01") { Os = "linux", Backend = "bpftrace", Reporting = true, Probes = new HashSet<string>(["pagefaults", "kmem"]) };
        row.PerSecond[ProbeCatalogue.Allocs].Add(0);

        var table = Render<FleetTable>(p => p.Add(c => c.Rows, [row]));

        Assert.Equal("0/s", table.Find("td.allocs .last").TextContent);
        Assert.Empty(table.FindAll("td.not-run"));
    }

    [Fact]
    public void Render_ProbesNotKnownYet_EveryProbeShownAsRun()
    {
        var row = new FleetRow("new-01") { Reporting = true };

        var table = Render<FleetTable>(p => p.Add(c => c.Rows, [row]));

        Assert.Empty(table.FindAll("td.not-run"));
    }

    [Fact]
    public void Render_UnnamedKeyBusiest_BusiestNamedFileBesideIt()
    {
        var row = new FleetRow("web-01") { Reporting = true };
        row.TopKeys[ProbeCatalogue.PageFaults] = "???";
        row.TopNamedKeys[ProbeCatalogue.PageFaults] = "libc.so.6";

        var table = Render<FleetTable>(p => p.Add(c => c.Rows, [row]));

        var cell = table.FindAll("td.key")[0];
        Assert.Equal("??? · libc.so.6", cell.TextContent);
        Assert.Equal(("???", "libc.so.6"), (cell.QuerySelector(".unnamed")!.TextContent, cell.QuerySelector(".named")!.TextContent));
        Assert.Contains("names no file", cell.GetAttribute("title"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("libc.so.6", "libc.so.6", "libc.so.6")]
    [InlineData("???", null, "???")]
    [InlineData("[ anon ]", "ld.so", "[ anon ] · ld.so")]
    [InlineData("[dev 8:1 ino 42]", "[dev 8:1 ino 42]", "[dev 8:1 ino 42]")]
    public void Render_BusiestKeyAndBusiestNamed_NamedOneShownOnlyWhenTheBusiestNamesNothing(string top, string? named, string shown)
    {
        var row = new FleetRow("web-01") { Reporting = true };
        row.TopKeys[ProbeCatalogue.PageFaults] = top;
        row.TopNamedKeys[ProbeCatalogue.PageFaults] = named;

        var table = Render<FleetTable>(p => p.Add(c => c.Rows, [row]));

        Assert.Equal(shown, table.FindAll("td.key")[0].TextContent);
    }
}
