namespace Tracefleet.Web.Tests.Services;

public sealed class RateBucketsTests
{
    private static readonly DateTime From = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Of_HostTotalsAndAKeysSeries_RatesOfTheTotalsOnlyAreSumsDividedByTheStep()
    {
        var answer = Answer(From, From.AddMinutes(1), 10_000,
            new Series("web-01", null, [Faults(From, 50), Faults(From.AddSeconds(10), 20)]),
            new Series("web-01", "libc.so.6", [Faults(From, 40)]));

        var rates = RateBuckets.Of(answer, ProbeCatalogue.PageFaults, s => s.Key is null).Rates(0);

        Assert.Equal([(From, 5.0), (From.AddSeconds(10), 2.0)], rates.Select(p => (p.T, p.Value)));
    }

    [Fact]
    public void Rates_NewestStepPartlyInTheRange_DividedByTheSecondsItCovers()
    {
        // 65 s in steps of 10 s: the last step has 5 s of the range.
        var answer = Answer(From, From.AddSeconds(65), 10_000, new Series("web-01", null, [Faults(From, 100), Faults(From.AddSeconds(60), 10)]));

        var rates = RateBuckets.Of(answer, ProbeCatalogue.PageFaults, _ => true).Rates(0);

        Assert.Equal([10.0, 2.0], rates.Select(p => p.Value));
    }

    [Fact]
    public void LinesOf_Kmem_AllocsFreesAndNetPerSecond()
    {
        var answer = Answer(From, From.AddMinutes(1), 30_000,
            new Series("web-01", null, [SeriesPoint.Of(ProbeCatalogue.Kmem, From, [300, 600]), SeriesPoint.Of(ProbeCatalogue.Kmem, From.AddSeconds(30), [60, 30])]));

        var lines = RateBuckets.Of(answer, ProbeCatalogue.Kmem, _ => true).LinesOf(ProbeCatalogue.Kmem);

        Assert.Equal(["allocs/s", "frees/s", "net/s"], lines.Select(l => l.Title));
        Assert.Equal([10.0, 2.0], lines[0].Points.Select(p => p.Value));
        Assert.Equal([20.0, 1.0], lines[1].Points.Select(p => p.Value));
        Assert.Equal([-10.0, 1.0], lines[2].Points.Select(p => p.Value));
    }

    [Fact]
    public void Add_TwentyMinutesOfSnapshotsOnFifteen_HoldsTheRangesStepsOnly()
    {
        var buckets = new RateBuckets(From, From.AddMinutes(15), TimeSpan.FromSeconds(8), 1);
        var first = From.AddMinutes(15);

        for (var second = 0; second < 1200; second++)
        {
            Assert.True(buckets.Add(first.AddSeconds(second), TimeSpan.FromSeconds(1), [(ulong)second]));
        }

        var end = first.AddSeconds(1200);
        var rates = buckets.Rates(0);
        Assert.Equal((end.AddMinutes(-15), end), (buckets.From, buckets.To));
        Assert.All(rates, p => Assert.True(p.T >= buckets.From, $"{p.T:O} is before the range"));
        // 900 s in steps of 8 s: 112 whole steps and the one still filling.
        Assert.Equal(113, rates.Count);
        Assert.Equal(113, buckets.Count);
        // The newest step, 08:35:04 onwards, has seconds 1196 to 1199: 4 s of them.
        Assert.Equal((From.AddSeconds(2096), (1196.0 + 1197 + 1198 + 1199) / 4), (rates[^1].T, rates[^1].Value));
    }

    [Fact]
    public void Add_SnapshotThatStartedBeforeTheAnswerEnded_NotCountedTwice()
    {
        var answer = Answer(From, From.AddMinutes(1), 10_000, new Series("web-01", null, [Faults(From.AddSeconds(50), 90)]));
        var buckets = RateBuckets.Of(answer, ProbeCatalogue.PageFaults, _ => true);

        var taken = buckets.Add(From.AddSeconds(59), TimeSpan.FromSeconds(1), [7]);

        Assert.False(taken);
        Assert.Equal([9.0], buckets.Rates(0).Select(p => p.Value));
    }

    [Fact]
    public void Add_SumsPastTwoToThe64_StaySaturated()
    {
        var buckets = new RateBuckets(From, From.AddSeconds(10), TimeSpan.FromSeconds(10), 1);

        buckets.Add(From.AddSeconds(10), TimeSpan.FromSeconds(1), [ulong.MaxValue]);
        buckets.Add(From.AddSeconds(11), TimeSpan.FromSeconds(1), [5]);

        Assert.Equal(ulong.MaxValue / 2.0, buckets.Rates(0).Single().Value);
    }

    [Fact]
    public void Sum_RowsOfASnapshot_PerColumnAndSaturated()
    {
        ulong[][] rows = [[3, 1], [ulong.MaxValue - 1, 2], [4, 5]];

        Assert.Equal([ulong.MaxValue, 8UL], RateBuckets.Sum(rows, 2));
    }

    [Fact]
    public void Ranges_AnswersLowsAndPeaksThenLiveSeconds_EachStepsLowestAndBusiestSecond()
    {
        var answer = Answer(From, From.AddSeconds(25), 10_000, new Series("web-01", null,
        [
            Faults(From, 50) with { Lows = Second(1), Peaks = Second(30) },
            Faults(From.AddSeconds(10), 20) with { Lows = Second(2), Peaks = Second(4) },
            Faults(From.AddSeconds(20), 20) with { Lows = Second(3), Peaks = Second(5) },
        ]));
        var buckets = RateBuckets.Of(answer, ProbeCatalogue.PageFaults, _ => true);

        // Live seconds continue the third step, below its low and above its peak; the range moves past the first step.
        Assert.True(buckets.Add(From.AddSeconds(25), TimeSpan.FromSeconds(1), [0]));
        Assert.True(buckets.Add(From.AddSeconds(26), TimeSpan.FromSeconds(1), [9]));

        Assert.Equal([(From.AddSeconds(10), 2.0, 4.0), (From.AddSeconds(20), 0.0, 9.0)], buckets.Ranges(0).Select(r => (r.T, r.Low, r.Peak)));
    }

    [Fact]
    public void Ranges_StepWithABucketOfNoPeaks_LeftOutNotGuessed()
    {
        var answer = Answer(From, From.AddSeconds(20), 10_000, new Series("web-01", null,
        [
            Faults(From, 50),
            Faults(From.AddSeconds(10), 20) with { Lows = Second(2), Peaks = Second(4) },
        ]));

        var lines = RateBuckets.Of(answer, ProbeCatalogue.PageFaults, _ => true).LinesOf(ProbeCatalogue.PageFaults);

        Assert.Equal([(From.AddSeconds(10), 2.0, 4.0)], lines[0].Ranges!.Select(r => (r.T, r.Low, r.Peak)));
    }

    /// <summary>One second's faults, as a series point's low or peak.</summary>
    private static Named<ulong> Second(ulong faults) => NamedColumns.Of(ProbeCatalogue.PageFaults, [faults]);

    private static SeriesResponse Answer(DateTime from, DateTime to, long stepMs, params Series[] series) => new("pagefaults", from, to, stepMs, series);

    private static SeriesPoint Faults(DateTime t, ulong faults) => SeriesPoint.Of(ProbeCatalogue.PageFaults, t, [faults]);
}
