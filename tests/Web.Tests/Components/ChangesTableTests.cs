using Tracefleet.Web.Components;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Components;

public sealed class ChangesTableTests : UiTestContext
{
    private static readonly DateTime At = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);

    private static ChangesResponse Data(string probe, string column, params KeyChangeRow[] rows) =>
        new(probe, column, At, At.AddMinutes(15), At.AddDays(-1), At.AddDays(-1).AddMinutes(15), 86_400_000, [], rows);

    [Fact]
    public void Render_MovedKeys_NowThenChangeAndRatioInTheServersOrder()
    {
        var data = Data("pagefaults", "faults",
            KeyChangeRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", -300, [200], [500]),
            KeyChangeRow.Of(ProbeCatalogue.PageFaults, "ld.so", 200, [300], [100]),
            KeyChangeRow.Of(ProbeCatalogue.PageFaults, "new.so", 70, [70], null),
            KeyChangeRow.Of(ProbeCatalogue.PageFaults, "gone.so", -50, null, [50]));

        var table = Render<ChangesTable>(p => p.Add(c => c.Data, data));

        Assert.Equal(["key", "now", "then", "change", "now / then"], table.FindAll("thead th").Select(th => th.TextContent));
        var rows = table.FindAll("tbody tr").Select(tr => tr.Children.Select(cell => cell.TextContent).ToArray()).ToList();
        Assert.Equal(["libc.so.6", "200", "500", "−300", "0.40×"], rows[0]);
        Assert.Equal(["ld.so", "300", "100", "+200", "3.00×"], rows[1]);
        Assert.Equal(["new.so", "70", "—", "+70", "new"], rows[2]);
        Assert.Equal(["gone.so", "—", "50", "−50", "gone"], rows[3]);
        Assert.Equal(["down", "up", "up", "down"], table.FindAll("td.change").Select(td => string.Join(' ', td.ClassList.Where(c => c is "up" or "down"))));
    }

    [Fact]
    public void Render_RankedByNet_WindowsShowAllocsMinusFrees()
    {
        var data = Data("kmem", "net",
            KeyChangeRow.Of(ProbeCatalogue.Kmem, "dentry", 900, [1000, 50], [200, 150]),
            KeyChangeRow.Of(ProbeCatalogue.Kmem, "full", 1, [ulong.MaxValue, 0], [5, 5]));

        var table = Render<ChangesTable>(p => p.Add(c => c.Data, data));

        var rows = table.FindAll("tbody tr").Select(tr => tr.Children.Select(cell => cell.TextContent).ToArray()).ToList();
        Assert.Equal(["dentry", "950", "50", "+900", "19.00×"], rows[0]);
        Assert.Equal(["full", "unknown (saturated)", "0", "+1", "unknown (saturated)"], rows[1]);
        Assert.Equal("net, totals over each window", table.Find("caption").TextContent);
    }

    [Fact]
    public void Click_KeysButton_RaisesItsKey()
    {
        string? chosen = null;
        var data = Data("pagefaults", "faults", KeyChangeRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", 1, [2], [1]));
        var table = Render<ChangesTable>(p => p.Add(c => c.Data, data).Add(c => c.KeySelected, (string key) => chosen = key));

        table.Find("tbody th.key button").Click();

        Assert.Equal("libc.so.6", chosen);
    }

    [Fact]
    public void Render_NothingMoved_SaysSo()
    {
        var table = Render<ChangesTable>(p => p.Add(c => c.Data, Data("pagefaults", "faults")));

        Assert.Contains("Nothing moved", table.Find(".state.empty").TextContent, StringComparison.Ordinal);
    }
}
