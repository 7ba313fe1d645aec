using Tracefleet.Web.Components;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Components;

public sealed class HeatmapTests : UiTestContext
{
    private static readonly DateTime From = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Render_TwoKeys_OneRowEachShadedByValue()
    {
        var grid = new HeatmapGrid(["<b>bold</b>", "plain"], [From, From.AddSeconds(10)], TimeSpan.FromSeconds(10), [[8, 0], [4, 2]], 8);

        var heatmap = Render<Heatmap>(p => p.Add(c => c.Grid, grid));

        Assert.Equal(["<b>bold</b>", "plain"], heatmap.FindAll("th.key").Select(th => th.TextContent));
        Assert.Empty(heatmap.FindAll("tbody b"));
        var cells = heatmap.FindAll("td.cell").Select(td => (td.GetAttribute("data-value"), td.ClassList[^1])).ToList();
        Assert.Equal([("8", "level-8"), ("0", "level-0"), ("4", "level-4"), ("2", "level-2")], cells);
    }

    [Fact]
    public void Render_AllZero_SaysNothingToShade()
    {
        var grid = new HeatmapGrid(["k"], [From], TimeSpan.FromSeconds(10), [[0]], 0);

        var heatmap = Render<Heatmap>(p => p.Add(c => c.Grid, grid));

        Assert.Contains("Nothing to shade", heatmap.Find(".state.empty").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NullGrid_Loading()
    {
        var heatmap = Render<Heatmap>(p => p.Add(c => c.Grid, null));

        Assert.NotNull(heatmap.Find(".state.loading"));
    }
}
