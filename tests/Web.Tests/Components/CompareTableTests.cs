using Tracefleet.Web.Components;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Components;

public sealed class CompareTableTests : UiTestContext
{
    [Fact]
    public void Render_ThreeHosts_EachOtherHostAgainstTheFirst()
    {
        var data = new CompareResponse("pagefaults", null, null, ["a", "b", "c"],
        [
            CompareRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [[10], [7], [20]]),
            CompareRow.Of(ProbeCatalogue.PageFaults, "only-on-a.so", [[5], null, null]),
            CompareRow.Of(ProbeCatalogue.PageFaults, "only-on-b.so", [null, [4], [0]]),
            CompareRow.Of(ProbeCatalogue.PageFaults, "only-on-c.so", [null, null, [6]]),
        ]);

        var table = Render<CompareTable>(p => p.Add(c => c.Data, data));

        Assert.Equal(["key", "a", "b", "c", "A − B (b)", "A / B (b)", "A − B (c)", "A / B (c)"], table.FindAll("th").Select(th => th.TextContent));
        var rows = table.FindAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToList();
        Assert.Equal(["libc.so.6", "10", "7", "20", "+3", "1.43×", "−10", "0.50×"], rows[0]);
        Assert.Equal(["only-on-a.so", "5", "—", "—", "+5", "only A", "+5", "only A"], rows[1]);
        Assert.Equal(["only-on-b.so", "—", "4", "0", "−4", "only B", "0", "only B"], rows[2]);
        Assert.Equal(["only-on-c.so", "—", "—", "6", "—", "—", "−6", "only B"], rows[3]);
    }

    [Fact]
    public void Render_CountsPastLongRangeAndSaturated_ExactOrMarkedNeverWrapped()
    {
        var data = new CompareResponse("kmem", null, null, ["a", "b"],
        [
            CompareRow.Of(ProbeCatalogue.Kmem, "huge", [[10_000_000_000_000_000_000, 0], [5_000_000_000_000_000_000, 0]]),
            CompareRow.Of(ProbeCatalogue.Kmem, "full", [[ulong.MaxValue, 0], [5, 0]]),
        ]);

        var table = Render<CompareTable>(p => p.Add(c => c.Data, data));

        var rows = table.FindAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToList();
        Assert.Equal(["huge", "10000000000000000000", "5000000000000000000", "+5000000000000000000", "2.00×"], rows[0]);
        Assert.Equal(["full", "≥ 18446744073709551615 (saturated)", "5", "unknown (saturated)", "unknown (saturated)"], rows[1]);
        Assert.Single(table.FindAll("td.value.saturated"));
    }

    [Fact]
    public void Render_KeyOnOneHostOnly_MarkedNotDropped()
    {
        var data = new CompareResponse("kmem", null, null, ["a", "b"],
            [CompareRow.Of(ProbeCatalogue.Kmem, "kmalloc-64", [null, [9, 1]])]);

        var table = Render<CompareTable>(p => p.Add(c => c.Data, data));

        Assert.Equal("only B", table.Find("tbody tr").GetAttribute("data-presence"));
        Assert.Equal("kmalloc-64", table.Find("td.key").TextContent);
    }

    [Fact]
    public void Render_NoRows_EmptyState()
    {
        var table = Render<CompareTable>(p => p.Add(c => c.Data, new CompareResponse("kmem", null, null, ["a", "b"], [])));

        Assert.Contains("None of these hosts", table.Find(".state.empty").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ClickKey_Button_Selected()
    {
        string? selected = null;
        var data = new CompareResponse("pagefaults", null, null, ["a", "b"], [CompareRow.Of(ProbeCatalogue.PageFaults, "x", [[1], [2]])]);
        var table = Render<CompareTable>(p => p.Add(c => c.Data, data).Add(c => c.KeySelected, k => selected = k));

        table.Find("tbody td.key button[type=button]").Click();

        Assert.Equal("x", selected);
    }
}
