namespace Tracefleet.Web.Tests.Services;

public sealed class CompareMathTests
{
    [Theory]
    [InlineData(10L, 4L, 6L)]
    [InlineData(4L, 10L, -6L)]
    [InlineData(5L, null, 5L)]
    [InlineData(null, 3L, -3L)]
    [InlineData(null, null, 0L)]
    public void Difference_PresentOrAbsent_AbsentCountsAsZero(long? a, long? b, long expected) =>
        Assert.Equal(expected, CompareMath.Difference(a, b));

    [Theory]
    [InlineData(6L, 4L, 1.5)]
    [InlineData(0L, 4L, 0.0)]
    [InlineData(null, 4L, 0.0)]
    public void Ratio_BPositive_AOverB(long? a, long? b, double expected) =>
        Assert.Equal(expected, CompareMath.Ratio(a, b));

    [Theory]
    [InlineData(6L, 0L)]
    [InlineData(6L, null)]
    [InlineData(null, null)]
    public void Ratio_BZeroOrAbsent_Undefined(long? a, long? b) => Assert.Null(CompareMath.Ratio(a, b));

    [Fact]
    public void DifferenceOverTime_BucketsOnOneSideOnly_AlignedByTimeAndMissingIsZero()
    {
        var t0 = new DateTime(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);
        SeriesPoint[] a = [new(t0, Faults: 10), new(t0.AddSeconds(2), Faults: 4)];
        SeriesPoint[] b = [new(t0, Faults: 3), new(t0.AddSeconds(1), Faults: 8)];

        var difference = CompareMath.DifferenceOverTime(a, b);

        Assert.Equal([(t0, 7L), (t0.AddSeconds(1), -8L), (t0.AddSeconds(2), 4L)], difference);
    }
}
