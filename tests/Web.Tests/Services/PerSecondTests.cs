using Tracefleet.Web.Components;

namespace Tracefleet.Web.Tests.Services;

public sealed class PerSecondTests
{
    private static readonly DateTime From = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Line_MinuteSteps_AveragePerSecondWithLowAndPeak()
    {
        SeriesPoint[] points =
        [
            SeriesPoint.Of(ProbeCatalogue.PageFaults, From, [600], [50], [0]),
            SeriesPoint.Of(ProbeCatalogue.PageFaults, From.AddMinutes(1), [5590], [5000], [9]),
        ];

        var line = PerSecond.Line("libc.so.6 @ web-01", points, ProbeCatalogue.Faults, TimeSpan.FromMinutes(1));

        Assert.Equal([new ChartPoint(From, 10), new ChartPoint(From.AddMinutes(1), 5590 / 60.0)], line.Points);
        Assert.Equal([new ChartRange(From, 0, 50), new ChartRange(From.AddMinutes(1), 9, 5000)], line.Ranges);
    }

    [Fact]
    public void Line_SecondsUnreported_AverageBelowTheLowestReported_RangeFromZero()
    {
        // Ten seconds reported at 100 to 200 in a minute: the other fifty count 0 in the average (1500 / 60 = 25/s).
        SeriesPoint[] points = [SeriesPoint.Of(ProbeCatalogue.PageFaults, From, [1500], [200], [100])];

        var line = PerSecond.Line("blockio @ db-01", points, ProbeCatalogue.Faults, TimeSpan.FromMinutes(1));

        Assert.Equal([new ChartPoint(From, 25)], line.Points);
        Assert.Equal([new ChartRange(From, 0, 200)], line.Ranges);
    }

    [Fact]
    public void Line_PeakNotKnown_NoRange_LowNotKnown_RangeFromTheAverage()
    {
        SeriesPoint[] points =
        [
            SeriesPoint.Of(ProbeCatalogue.Kmem, From, [120, 60], null, null),
            SeriesPoint.Of(ProbeCatalogue.Kmem, From.AddMinutes(1), [120, 60], [30, 2], null),
        ];

        var line = PerSecond.Line("dentry @ web-01", points, ProbeCatalogue.Allocs, TimeSpan.FromMinutes(1));

        Assert.Equal([2.0, 2.0], line.Points.Select(p => p.Value));
        Assert.Equal([new ChartRange(From.AddMinutes(1), 2, 30)], line.Ranges);
    }

    [Fact]
    public void Line_StepOfASecond_TheSumsThemselves()
    {
        var line = PerSecond.Line("k", [SeriesPoint.Of(ProbeCatalogue.PageFaults, From, [7], [7], [7])], ProbeCatalogue.Faults, TimeSpan.FromSeconds(1));

        Assert.Equal(7, Assert.Single(line.Points).Value);
    }
}
