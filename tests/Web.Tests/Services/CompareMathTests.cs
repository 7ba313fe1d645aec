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

    [Fact]
    public void DifferenceOverTime_BucketsOnOneSideOnly_AlignedByTimeAndMissingIsZero()
    {
        var t0 = new DateTime(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);
        SeriesPoint[] a = [new(t0, Faults: 10), new(t0.AddSeconds(2), Faults: 4)];
        SeriesPoint[] b = [new(t0, Faults: 3), new(t0.AddSeconds(1), Faults: 8)];

        var difference = CompareMath.DifferenceOverTime(a, b);

        Assert.Equal([(t0, 7.0), (t0.AddSeconds(1), -8.0), (t0.AddSeconds(2), 4.0)], difference);
    }
}
