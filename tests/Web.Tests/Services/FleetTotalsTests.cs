using Tracefleet.Web.Components;

namespace Tracefleet.Web.Tests.Services;

public sealed class FleetTotalsTests
{
    private static readonly DateTime T0 = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Lines_ServerBuckets_OneLinePerColumnAndTheNetInCountsPerSecond()
    {
        var totals = Kmem((0, 100, 50), (50, 20, 0));

        var lines = totals.Lines();

        Assert.Equal(["allocs/s", "frees/s", "net/s"], lines.Select(l => l.Title));
        Assert.Equal([(T0, 10.0), (T0.AddSeconds(50), 2.0)], lines[0].Points.Select(p => (p.T, p.Value)));
        Assert.Equal([5.0, 0.0], lines[1].Points.Select(p => p.Value));
        Assert.Equal([5.0, 2.0], lines[2].Points.Select(p => p.Value));
        Assert.Equal(TimeSpan.FromSeconds(10), totals.Step);
    }

    [Fact]
    public void Lines_ServerPeaksAndLows_EachColumnShadedBetweenThemPerSecond()
    {
        var point = SeriesPoint.Of(ProbeCatalogue.Kmem, T0, [100, 50], peaks: [40, 9], lows: [1, 2]);
        var totals = new FleetTotals(ProbeCatalogue.Kmem, new FleetSeriesResponse("kmem", T0, T0.AddSeconds(60), 10_000, 2, [point]));

        var lines = totals.Lines();

        Assert.Equal([new ChartRange(T0, 1, 40)], lines[0].Ranges!);
        Assert.Equal([new ChartRange(T0, 2, 9)], lines[1].Ranges!);
    }

    [Fact]
    public void Lines_StepWithSecondsNoHostReported_ShadedFromZeroNotAboveItsOwnAverage()
    {
        // 30 allocs in 10 s (3/s), though the seconds reported were 10 to 20: seven seconds had nothing.
        var point = SeriesPoint.Of(ProbeCatalogue.Kmem, T0, [30, 30], peaks: [20, 20], lows: [10, 1]);
        var totals = new FleetTotals(ProbeCatalogue.Kmem, new FleetSeriesResponse("kmem", T0, T0.AddSeconds(60), 10_000, 2, [point, point with { T = T0.AddSeconds(10) }]));

        var allocs = totals.Lines()[0];

        Assert.Equal([3.0, 3.0], allocs.Points.Select(p => p.Value));
        Assert.Equal([new ChartRange(T0, 0, 20), new ChartRange(T0.AddSeconds(10), 0, 20)], allocs.Ranges!);
        // A low at or under the average stays as reported.
        Assert.Equal([1.0, 1.0], totals.Lines()[1].Ranges!.Select(r => r.Low));
    }

    [Fact]
    public void Add_LiveSecondAfterTheAnswer_SummedOverHostsIntoItsStepTheRangeMovedOn()
    {
        var totals = Kmem((0, 100, 50), (30, 10, 10));

        totals.Add(Second(T0.AddSeconds(62), (3, 1), (4, 1)));

        var allocs = totals.Lines()[0].Points;
        // The second 61–62 falls in the step of 60–70, of which 2 seconds have passed: 7 allocs in 2 s. The range now
        // starts at 2 s: the step of 0–10 is no longer all in it.
        Assert.Equal([(T0.AddSeconds(30), 1.0), (T0.AddSeconds(60), 3.5)], allocs.Select(p => (p.T, p.Value)));
    }

    [Fact]
    public void Add_LiveSecondsOfAStep_ItsLowestAndBusiestSecondExactly()
    {
        var totals = Kmem();

        totals.Add(Second(T0.AddSeconds(61), (3, 1), (4, 1)));
        totals.Add(Second(T0.AddSeconds(62), (10, 0)));

        Assert.Equal([new ChartRange(T0.AddSeconds(60), 7, 10)], totals.Lines()[0].Ranges!);
        Assert.Equal([new ChartRange(T0.AddSeconds(60), 0, 2)], totals.Lines()[1].Ranges!);
    }

    [Fact]
    public void Add_SecondTheAnswerCounted_NotCountedAgain()
    {
        var totals = Kmem((50, 100, 50));

        totals.Add(Second(T0.AddSeconds(55), (5, 5)));

        Assert.Equal([10.0], totals.Lines()[0].Points.Select(p => p.Value));
    }

    [Fact]
    public void Add_FeedFarLongerThanTheRange_BoundedToItsSpan()
    {
        var totals = Kmem((0, 1, 1));

        for (var s = 61; s <= 3061; s++)
        {
            totals.Add(Second(T0.AddSeconds(s), (1, 1)));
        }

        // The range is now 3001–3061 s: the steps of 3010 … 3060 s, six (never more than span ÷ step + 1), the newest
        // holding the latest second.
        Assert.Equal(6, totals.Count);
        Assert.Equal(T0.AddSeconds(3060), totals.Lines()[0].Points[^1].T);
    }

    /// <summary>Kmem totals over [T0, T0 + 60 s) in steps of 10 s, with these points (seconds after T0, allocs, frees).</summary>
    private static FleetTotals Kmem(params (int At, ulong Allocs, ulong Frees)[] points)
    {
        var series = new FleetSeriesResponse(
            "kmem", T0, T0.AddSeconds(60), 10_000, 1, [.. points.Select(p => SeriesPoint.Of(ProbeCatalogue.Kmem, T0.AddSeconds(p.At), [p.Allocs, p.Frees]))]);
        return new FleetTotals(ProbeCatalogue.Kmem, series);
    }

    /// <summary>The live second ending at <paramref name="at"/>, one host per (allocs, frees).</summary>
    private static FleetSecond Second(DateTime at, params (ulong Allocs, ulong Frees)[] hosts) => new(
        at, 1000, hosts.Length, hosts.Length,
        [.. hosts.Select((h, i) => FleetHost.Of($"h{i}", true, true, at, c => c == ProbeCatalogue.Allocs ? h.Allocs : c == ProbeCatalogue.Frees ? h.Frees : 0, _ => null, _ => null))]);
}
