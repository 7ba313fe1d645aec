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
            new CompareRow("libc.so.6", Faults: [10, 7, 20], Allocs: null, Frees: null),
            new CompareRow("only-on-a.so", Faults: [5, null, null], Allocs: null, Frees: null),
            new CompareRow("only-on-b.so", Faults: [null, 4, 0], Allocs: null, Frees: null),
        ]);

        var table = Render<CompareTable>(p => p.Add(c => c.Data, data));

        Assert.Equal(["key", "a", "b", "c", "A − B (b)", "A / B (b)", "A − B (c)", "A / B (c)"], table.FindAll("th").Select(th => th.TextContent));
        var rows = table.FindAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToList();
        Assert.Equal(["libc.so.6", "10", "7", "20", "+3", "1.43×", "−10", "0.50×"], rows[0]);
        Assert.Equal(["only-on-a.so", "5", "—", "—", "+5", "only A", "+5", "only A"], rows[1]);
        Assert.Equal(["only-on-b.so", "—", "4", "0", "−4", "0.00×", "0", "—"], rows[2]);
    }

    [Fact]
    public void Render_CountsPastLongRangeAndSaturated_ExactOrMarkedNeverWrapped()
    {
        var data = new CompareResponse("kmem", null, null, ["a", "b"],
        [
            new CompareRow("huge", Faults: null, Allocs: [10_000_000_000_000_000_000, 5_000_000_000_000_000_000], Frees: [0, 0]),
            new CompareRow("full", Faults: null, Allocs: [ulong.MaxValue, 5], Frees: [0, 0]),
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
            [new CompareRow("kmalloc-64", Faults: null, Allocs: [null, 9], Frees: [null, 1])]);

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
    public void ClickRow_Key_Selected()
    {
        string? selected = null;
        var data = new CompareResponse("pagefaults", null, null, ["a", "b"], [new CompareRow("x", Faults: [1, 2], Allocs: null, Frees: null)]);
        var table = Render<CompareTable>(p => p.Add(c => c.Data, data).Add(c => c.KeySelected, k => selected = k));

        table.Find("tbody tr").Click();

        Assert.Equal("x", selected);
    }
}
