using Tracefleet.Web.Components;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Components;

public sealed class TopTableTests : UiTestContext
{
    private static readonly FleetTopRow[] PageFaults =
    [
        FaultsRow("libc.so.6", 12),
        FaultsRow("ld-linux-x86-64.so.2", 40),
        FaultsRow("???", 7),
    ];

    private static readonly FleetTopRow[] Kmem =
    [
        KmemRow("filp", 30, 35),
        KmemRow("buffer_head", 100, 10),
        KmemRow("dentry", 50, 50),
    ];

    [Fact]
    public void Render_PageFaultRows_ScriptColumnsBusiestFirst()
    {
        var table = Render<TopTable>(p => p.Add(c => c.Probe, "pagefaults").Add(c => c.Rows, PageFaults));

        Assert.Equal(["FAULTS ▼", "VMFILE"], table.FindAll("th").Select(th => th.TextContent));
        Assert.Equal(["ld-linux-x86-64.so.2", "libc.so.6", "???"], table.FindAll("td.key").Select(td => td.TextContent));
        Assert.Equal(["40", "12", "7"], table.FindAll("td.num").Select(td => td.TextContent));
    }

    [Theory]
    [InlineData("solaris", "VNODE")]
    [InlineData("linux", "VMFILE")]
    [InlineData(null, "VMFILE")]
    public void Render_HostOs_KeyColumnNamedAsItsScriptPrintsIt(string? os, string expected)
    {
        var table = Render<TopTable>(p => p.Add(c => c.Probe, "pagefaults").Add(c => c.Os, os).Add(c => c.Rows, PageFaults));

        Assert.Equal(expected, table.FindAll("th")[1].TextContent);
    }

    [Fact]
    public void Render_KmemRows_AllocsFreesNetPerCache()
    {
        var table = Render<TopTable>(p => p.Add(c => c.Probe, "kmem").Add(c => c.Rows, Kmem));

        Assert.Equal(["ALLOCS ▼", "FREES", "NET", "SLAB"], table.FindAll("th").Select(th => th.TextContent));
        var rows = table.FindAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToList();
        Assert.Equal(["100", "10", "90", "buffer_head"], rows[0]);
        Assert.Equal(["50", "50", "0", "dentry"], rows[1]);
        Assert.Equal(["30", "35", "-5", "filp"], rows[2]);
    }

    [Fact]
    public void Render_KmemCountsPastLongRange_ExactDigitsAndExactNet()
    {
        FleetTopRow[] rows = [KmemRow("x", 10_000_000_000_000_000_000, 1), KmemRow("y", 1, 10_000_000_000_000_000_000)];

        var table = Render<TopTable>(p => p.Add(c => c.Probe, "kmem").Add(c => c.Rows, rows));

        var cells = table.FindAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToList();
        Assert.Equal(["10000000000000000000", "1", "9999999999999999999", "x"], cells[0]);
        Assert.Equal(["1", "10000000000000000000", "-9999999999999999999", "y"], cells[1]);
        Assert.Empty(table.FindAll(".saturated"));
    }

    [Fact]
    public void Render_SaturatedCount_MarkedAtLeastAndNetUnknown()
    {
        FleetTopRow[] rows = [KmemRow("x", ulong.MaxValue, 3), KmemRow("y", 7, 2)];

        var table = Render<TopTable>(p => p.Add(c => c.Probe, "kmem").Add(c => c.Rows, rows));

        var first = table.Find("tbody tr").QuerySelectorAll("td").Select(td => td.TextContent).ToArray();
        Assert.Equal(["≥ 18446744073709551615 (saturated)", "3", "unknown (saturated)", "x"], first);
        var marked = Assert.Single(table.FindAll("td.saturated"));
        Assert.Equal(CountText.SaturatedTitle, marked.GetAttribute("title"));
    }

    [Theory]
    [InlineData("net", new[] { "buffer_head", "dentry", "filp" })]
    [InlineData("second", new[] { "dentry", "filp", "buffer_head" })]
    [InlineData("key", new[] { "buffer_head", "dentry", "filp" })]
    public void Render_SortColumn_RowsInThatOrder(string sort, string[] expected)
    {
        var table = Render<TopTable>(p => p.Add(c => c.Probe, "kmem").Add(c => c.Rows, Kmem).Add(c => c.Sort, sort));

        Assert.Equal(expected, table.FindAll("td.key").Select(td => td.TextContent));
    }

    [Fact]
    public void ClickHeader_Frees_AsksToSortBySecond()
    {
        string? asked = null;
        var table = Render<TopTable>(p => p.Add(c => c.Probe, "kmem").Add(c => c.Rows, Kmem).Add(c => c.SortChanged, s => asked = s));

        table.FindAll("th button")[1].Click();

        Assert.Equal("second", asked);
    }

    [Fact]
    public void ClickKey_SecondRow_SelectsThatKeyWithAButton()
    {
        string? selected = null;
        var table = Render<TopTable>(p => p.Add(c => c.Probe, "pagefaults").Add(c => c.Rows, PageFaults).Add(c => c.KeySelected, k => selected = k));

        // A button, so the keyboard reaches and presses it as the mouse does.
        table.FindAll("tbody tr")[1].QuerySelector("td.key button[type=button]")!.Click();

        Assert.Equal("libc.so.6", selected);
    }

    [Fact]
    public void Render_KeySelectedAndSorted_PressedKeyAndSortedHeaderAnnounced()
    {
        var table = Render<TopTable>(p => p.Add(c => c.Probe, "pagefaults").Add(c => c.Rows, PageFaults).Add(c => c.SelectedKey, "libc.so.6"));

        Assert.Equal(["false", "true"], table.FindAll("tbody td.key button").Take(2).Select(b => b.GetAttribute("aria-pressed")));
        Assert.All(table.FindAll("thead th"), th => Assert.Equal("col", th.GetAttribute("scope")));
        Assert.Equal("descending", table.FindAll("thead th")[0].GetAttribute("aria-sort"));
        Assert.Single(table.FindAll("thead th[aria-sort]"));
    }

    [Fact]
    public void Render_NullRows_Loading()
    {
        var table = Render<TopTable>(p => p.Add(c => c.Rows, null));

        Assert.Contains("Loading", table.Find(".state.loading").TextContent, StringComparison.Ordinal);
        Assert.Empty(table.FindAll("table"));
    }

    [Fact]
    public void Render_NoRows_SaysTheIntervalWasEmpty()
    {
        var table = Render<TopTable>(p => p.Add(c => c.Rows, Array.Empty<FleetTopRow>()));

        Assert.Contains("empty table", table.Find(".state.empty").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_KeysLikeMarkup_TextNotElements()
    {
        FleetTopRow[] hostile = [FaultsRow("<img src=x onerror=alert(1)>", 2), FaultsRow("<script>alert(2)</script>", 1), FaultsRow(" lead & trail ", 1)];

        var table = Render<TopTable>(p => p.Add(c => c.Probe, "pagefaults").Add(c => c.Rows, hostile));

        Assert.Empty(table.FindAll("img"));
        Assert.Empty(table.FindAll("script"));
        Assert.Equal(["<img src=x onerror=alert(1)>", " lead & trail ", "<script>alert(2)</script>"], table.FindAll("td.key").Select(td => td.TextContent));
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", table.Markup, StringComparison.Ordinal);
    }

    private static FleetTopRow FaultsRow(string key, ulong faults) => FleetTopRow.Of(ProbeCatalogue.PageFaults, key, [faults], 1);

    private static FleetTopRow KmemRow(string key, ulong allocs, ulong frees) => FleetTopRow.Of(ProbeCatalogue.Kmem, key, [allocs, frees], 1);
}
