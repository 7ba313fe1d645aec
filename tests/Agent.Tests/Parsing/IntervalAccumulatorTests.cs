using Tracefleet.Agent.Tests.Support;

namespace Tracefleet.Agent.Tests.Parsing;

public class IntervalAccumulatorTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 1, DateTimeKind.Utc);

    private static ParsedInterval Kmem(int malformed, params ParsedRow[] rows) => new(TableFormats.Kmem, rows, malformed);

    [Fact]
    public void Add_OneTablePerInterval_PassesTableThrough()
    {
        var accumulator = new IntervalAccumulator(ProbeCatalogue.Kmem, 1);
        var table = Kmem(2, new ParsedRow("dentry", [1, 2]));

        var result = accumulator.Add(table, T0);

        Assert.NotNull(result);
        Assert.Same(table, result.Value.Interval);
        Assert.Equal(T0, result.Value.FirstEnd);
    }

    [Fact]
    public void Add_RestOfATableClosedEarly_StampedWithTheSecondItBelongsTo()
    {
        var accumulator = new IntervalAccumulator(ProbeCatalogue.Kmem, 1);
        accumulator.Add(Kmem(0, new ParsedRow("dentry", [1, 2])), T0);

        var rest = accumulator.Add(Kmem(0, new ParsedRow("filp", [3, 4])) with { Continuation = true }, T0.AddMilliseconds(400));

        Assert.NotNull(rest);
        Assert.Equal(T0, rest.Value.FirstEnd);
        Assert.Equal(1, rest.Value.Tables);
    }

    [Fact]
    public void Add_RestOfATableWhileSumming_JoinsTheIntervalWithoutCountingASecond()
    {
        var accumulator = new IntervalAccumulator(ProbeCatalogue.Kmem, 2);
        Assert.Null(accumulator.Add(Kmem(0, new ParsedRow("dentry", [1, 2])), T0));
        Assert.Null(accumulator.Add(Kmem(0, new ParsedRow("dentry", [10, 20])) with { Continuation = true }, T0.AddMilliseconds(300)));

        var result = accumulator.Add(Kmem(0, new ParsedRow("dentry", [100, 200])), T0.AddSeconds(1));

        Assert.NotNull(result);
        Assert.Equal(2, result.Value.Tables);
        Assert.Equal(T0, result.Value.FirstEnd);
        Assert.Equal([new ParsedRow("dentry", [111, 222])], result.Value.Interval.Rows);
    }

    [Fact]
    public void Add_ThreeTablesPerInterval_SumsPerKeyOnTheThird()
    {
        var accumulator = new IntervalAccumulator(ProbeCatalogue.Kmem, 3);

        Assert.Null(accumulator.Add(Kmem(1, new ParsedRow("dentry", [1, 2]), new ParsedRow("filp", [5, 0])), T0));
        Assert.Null(accumulator.Add(Kmem(0), T0.AddSeconds(1)));
        var result = accumulator.Add(Kmem(2, new ParsedRow("dentry", [10, 20]), new ParsedRow("vmap_area", [0, 7])), T0.AddSeconds(2));

        Assert.NotNull(result);
        var (interval, firstEnd, tables) = result.Value;
        Assert.Equal(T0, firstEnd);
        Assert.Equal(3, tables);
        Assert.Equal(TableFormats.Kmem, interval.Format);
        Assert.Equal(3, interval.MalformedLines);
        Assert.Equal(
            [new ParsedRow("dentry", [11, 22]), new ParsedRow("filp", [5, 0]), new ParsedRow("vmap_area", [0, 7])],
            IntervalReading.Sorted(interval));
    }

    [Fact]
    public void Add_AfterEmitting_StartsAFreshSum()
    {
        var accumulator = new IntervalAccumulator(ProbeCatalogue.PageFaults, 2);
        accumulator.Add(new ParsedInterval(TableFormats.PageFaults, [new ParsedRow("a", [1])], 1), T0);
        accumulator.Add(new ParsedInterval(TableFormats.PageFaults, [new ParsedRow("a", [2])], 0), T0.AddSeconds(1));

        Assert.Null(accumulator.Add(new ParsedInterval(TableFormats.PageFaults, [new ParsedRow("b", [4])], 0), T0.AddSeconds(2)));
        var result = accumulator.Add(new ParsedInterval(TableFormats.PageFaults, [new ParsedRow("b", [5])], 0), T0.AddSeconds(3));

        Assert.NotNull(result);
        Assert.Equal(T0.AddSeconds(2), result.Value.FirstEnd);
        Assert.Equal([new ParsedRow("b", [9])], result.Value.Interval.Rows);
        Assert.Equal(0, result.Value.Interval.MalformedLines);
    }

    [Fact]
    public void Add_SumPastMaximum_Saturates()
    {
        var accumulator = new IntervalAccumulator(ProbeCatalogue.PageFaults, 2);
        accumulator.Add(new ParsedInterval(TableFormats.PageFaults, [new ParsedRow("a", [ulong.MaxValue - 1])], 0), T0);

        var result = accumulator.Add(new ParsedInterval(TableFormats.PageFaults, [new ParsedRow("a", [5])], 0), T0);

        Assert.NotNull(result);
        Assert.Equal([new ParsedRow("a", [ulong.MaxValue])], result.Value.Interval.Rows);
    }

    [Fact]
    public void Add_TableOfAnotherProbe_Throws()
    {
        var accumulator = new IntervalAccumulator(ProbeCatalogue.PageFaults, 1);

        Assert.Throws<ArgumentException>(() => accumulator.Add(Kmem(0), T0));
    }
}
