namespace Tracefleet.Web.Tests.Services;

public sealed class CompareMathTests
{
    [Theory]
    [InlineData(10UL, 4UL, 6L)]
    [InlineData(4UL, 10UL, -6L)]
    [InlineData(5UL, null, 5L)]
    [InlineData(null, 3UL, -3L)]
    [InlineData(null, null, 0L)]
    public void Difference_PresentOrAbsent_AbsentCountsAsZero(ulong? a, ulong? b, long expected) =>
        Assert.Equal((Int128)expected, CompareMath.Difference(a, b));

    [Theory]
    [InlineData(6UL, 4UL, 1.5)]
    [InlineData(0UL, 4UL, 0.0)]
    [InlineData(null, 4UL, 0.0)]
    public void Ratio_BPositive_AOverB(ulong? a, ulong? b, double expected) =>
        Assert.Equal(expected, CompareMath.Ratio(a, b));

    [Theory]
    [InlineData(6UL, 0UL)]
    [InlineData(6UL, null)]
    [InlineData(null, null)]
    public void Ratio_BZeroOrAbsent_Undefined(ulong? a, ulong? b) => Assert.Null(CompareMath.Ratio(a, b));

    [Theory]
    [InlineData(18_446_744_073_709_551_614UL, 0UL, "18446744073709551614")]
    [InlineData(0UL, 18_446_744_073_709_551_614UL, "-18446744073709551614")]
    [InlineData(10_000_000_000_000_000_000UL, 9_223_372_036_854_775_807UL, "776627963145224193")]
    [InlineData(null, 10_000_000_000_000_000_000UL, "-10000000000000000000")]
    public void Difference_PastLongRange_Exact(ulong? a, ulong? b, string expected) =>
        Assert.Equal(Int128.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), CompareMath.Difference(a, b));

    [Theory]
    [InlineData(18_446_744_073_709_551_615UL, 5UL)]
    [InlineData(5UL, 18_446_744_073_709_551_615UL)]
    [InlineData(18_446_744_073_709_551_615UL, 18_446_744_073_709_551_615UL)]
    [InlineData(18_446_744_073_709_551_615UL, null)]
    public void DifferenceAndRatio_SaturatedSide_Unknown(ulong? a, ulong? b)
    {
        Assert.Null(CompareMath.Difference(a, b));
        Assert.Null(CompareMath.Ratio(a, b));
        Assert.True(CompareMath.EitherSaturated(a, b));
    }

    [Fact]
    public void Ratio_CountsPastLongRange_NoOverflow() =>
        Assert.Equal(2.0, CompareMath.Ratio(10_000_000_000_000_000_000, 5_000_000_000_000_000_000));

    [Fact]
    public void DifferenceOverTime_CountsPastLongRange_NeitherSideWraps()
    {
        var t0 = new DateTime(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);
        SeriesPoint[] a = [Allocs(t0, 10_000_000_000_000_000_000), Allocs(t0, 9_000_000_000_000_000_000), Allocs(t0.AddSeconds(1), 1)];
        SeriesPoint[] b = [Allocs(t0.AddSeconds(1), 10_000_000_000_000_000_000)];

        var difference = CompareMath.DifferenceOverTime(ProbeCatalogue.Allocs, a, b);

        Assert.Equal([(t0, (double)ulong.MaxValue), (t0.AddSeconds(1), 1 - 1e19)], difference);
    }

    [Fact]
    public void DifferenceOverTime_BucketsOnOneSideOnly_AlignedByTimeAndMissingIsZero()
    {
        var t0 = new DateTime(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);
        SeriesPoint[] a = [Faults(t0, 10), Faults(t0.AddSeconds(2), 4)];
        SeriesPoint[] b = [Faults(t0, 3), Faults(t0.AddSeconds(1), 8)];

        var difference = CompareMath.DifferenceOverTime(ProbeCatalogue.Faults, a, b);

        Assert.Equal([(t0, 7.0), (t0.AddSeconds(1), -8.0), (t0.AddSeconds(2), 4.0)], difference);
    }

    private static SeriesPoint Faults(DateTime t, ulong faults) => SeriesPoint.Of(ProbeCatalogue.PageFaults, t, [faults]);

    private static SeriesPoint Allocs(DateTime t, ulong allocs) => SeriesPoint.Of(ProbeCatalogue.Kmem, t, [allocs]);
}
