namespace Tracefleet.Web.Tests.Services;

public sealed class HeatmapBinsTests
{
    private static readonly DateTime From = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Build_SixColumnsOverAMinute_PointsLandInTheirTenSeconds()
    {
        Series[] series = [new("a", "k", [P(0, 1), P(9.9, 2), P(10, 4), P(59, 8)])];

        var grid = HeatmapBins.Build(ProbeCatalogue.Faults, series, ["k"], From, From.AddMinutes(1), 6);

        Assert.Equal([3UL, 4, 0, 0, 0, 8], grid.Cells[0]);
        Assert.Equal(TimeSpan.FromSeconds(10), grid.ColumnWidth);
        Assert.Equal(From.AddSeconds(50), grid.ColumnStarts[5]);
        Assert.Equal(8UL, grid.Max);
    }

    [Fact]
    public void Build_SameKeyOnTwoHosts_CellsAddUp()
    {
        Series[] series = [new("a", "k", [P(5, 2)]), new("b", "k", [P(6, 3)])];

        var grid = HeatmapBins.Build(ProbeCatalogue.Faults, series, ["k"], From, From.AddMinutes(1), 6);

        Assert.Equal(5UL, grid.Cells[0][0]);
    }

    [Fact]
    public void Build_PointsOutsideRangeOrKeysNotAsked_Ignored()
    {
        Series[] series = [new("a", "k", [P(-1, 100), P(60, 100), P(30, 1)]), new("a", "other", [P(30, 50)]), new("a", null, [P(30, 70)])];

        var grid = HeatmapBins.Build(ProbeCatalogue.Faults, series, ["k", "absent"], From, From.AddMinutes(1), 2);

        Assert.Equal([0UL, 1], grid.Cells[0]);
        Assert.Equal([0UL, 0], grid.Cells[1]);
        Assert.Equal(1UL, grid.Max);
    }

    [Fact]
    public void Build_CellsPast64Bits_SaturatedAndShadedDarkest()
    {
        Series[] series = [new("a", "k", [P(5, 10_000_000_000_000_000_000), P(6, 9_000_000_000_000_000_000), P(30, 5_000_000_000_000_000_000)])];

        var grid = HeatmapBins.Build(ProbeCatalogue.Faults, series, ["k"], From, From.AddMinutes(1), 2);

        Assert.Equal([ulong.MaxValue, 5_000_000_000_000_000_000], grid.Cells[0]);
        Assert.Equal(ulong.MaxValue, grid.Max);
        Assert.Equal([8, 3], grid.Cells[0].Select(v => grid.Level(v, 8)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(50, 4)]
    [InlineData(51, 5)]
    [InlineData(100, 8)]
    public void Level_ValueOfMax100_LinearEighths(ulong value, int expected)
    {
        var grid = new HeatmapGrid(["k"], [From], TimeSpan.FromSeconds(1), [[100]], 100);

        Assert.Equal(expected, grid.Level(value, 8));
    }

    [Fact]
    public void Build_NoColumns_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HeatmapBins.Build(ProbeCatalogue.Faults, [], ["k"], From, From.AddMinutes(1), 0));

    private static SeriesPoint P(double seconds, ulong faults) => SeriesPoint.Of(ProbeCatalogue.PageFaults, From.AddSeconds(seconds), [faults]);
}
