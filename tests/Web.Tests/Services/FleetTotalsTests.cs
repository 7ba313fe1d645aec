namespace Tracefleet.Web.Tests.Services;

public sealed class FleetTotalsTests
{
    private static readonly DateTime T0 = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Lines_ServerBuckets_OneLinePerColumnInCountsPerSecond()
    {
        var totals = Kmem(span: TimeSpan.FromMinutes(1), (0, 100, 50), (50, 20, 0));

        var lines = totals.Lines();

        Assert.Equal(["allocs/s", "frees/s"], lines.Select(l => l.Title));
        Assert.Equal([(T0, 10.0), (T0.AddSeconds(50), 2.0)], lines[0].Points.Select(p => (p.T, p.Value)));
        Assert.Equal([5.0, 0.0], lines[1].Points.Select(p => p.Value));
    }

    [Fact]
    public void Add_LiveSecond_SummedOverHostsIntoItsBucketAndDividedBySecondsPassed()
    {
        var totals = Kmem(span: TimeSpan.FromMinutes(1), (0, 100, 50));

        totals.Add(Second(T0.AddSeconds(62), (3, 1), (4, 1)));

        var allocs = totals.Lines()[0].Points;
        // The second 61–62 falls in the bucket of 60–70, of which 2 seconds have passed: 7 allocs in 2 s.
        Assert.Equal((T0.AddSeconds(60), 3.5), (allocs[^1].T, allocs[^1].Value));
        Assert.Equal(2, totals.Count);
    }

    [Fact]
    public void Add_LiveSecondsPastTheRange_OldestBucketsGo()
    {
        var totals = Kmem(span: TimeSpan.FromMinutes(1), (0, 100, 50), (10, 1, 1));

        totals.Add(Second(T0.AddSeconds(75), (1, 0)));

        Assert.Equal([T0.AddSeconds(10), T0.AddSeconds(70)], totals.Lines()[0].Points.Select(p => p.T));
    }

    [Fact]
    public void Add_FeedFasterThanTheRangeHolds_BoundedWhateverItsLength()
    {
        var series = new FleetSeriesResponse("kmem", T0, T0.AddDays(1), 1000, 0, []);
        var totals = new FleetTotals(ProbeCatalogue.Kmem, series, TimeSpan.FromDays(1));

        for (var s = 1; s <= 3 * FleetTotals.MaxBuckets; s++)
        {
            totals.Add(Second(T0.AddSeconds(s), (1, 1)));
        }

        Assert.Equal(FleetTotals.MaxBuckets, totals.Count);
        Assert.Equal(T0.AddSeconds((3 * FleetTotals.MaxBuckets) - 1), totals.Lines()[0].Points[^1].T);
    }

    [Fact]
    public void Add_SecondBeforeTheRange_Ignored()
    {
        var totals = Kmem(span: TimeSpan.FromMinutes(1), (0, 100, 50));

        totals.Add(Second(T0, (5, 5)));

        Assert.Equal([10.0], totals.Lines()[0].Points.Select(p => p.Value));
    }

    /// <summary>Kmem totals over [T0, T0 + 60 s) in steps of 10 s, with these points (seconds after T0, allocs, frees).</summary>
    private static FleetTotals Kmem(TimeSpan span, params (int At, ulong Allocs, ulong Frees)[] points)
    {
        var series = new FleetSeriesResponse(
            "kmem", T0, T0.AddSeconds(60), 10_000, 1, [.. points.Select(p => SeriesPoint.Of(ProbeCatalogue.Kmem, T0.AddSeconds(p.At), [p.Allocs, p.Frees]))]);
        return new FleetTotals(ProbeCatalogue.Kmem, series, span);
    }

    /// <summary>The live second ending at <paramref name="at"/>, one host per (allocs, frees).</summary>
    private static FleetSecond Second(DateTime at, params (ulong Allocs, ulong Frees)[] hosts) => new(
        at, 1000, hosts.Length, hosts.Length,
        [.. hosts.Select((h, i) => FleetHost.Of($"h{i}", true, true, at, c => c == ProbeCatalogue.Allocs ? h.Allocs : c == ProbeCatalogue.Frees ? h.Frees : 0, _ => null, _ => null))]);
}
