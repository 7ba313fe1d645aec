using Tracefleet.Agent.Replay;
using Tracefleet.Agent.Tests.Support;

namespace Tracefleet.Agent.Tests.Replay;

public class ReplayStampTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static List<ParsedInterval> Capture(TableFormat format, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ParsedInterval(format, [new ParsedRow($"key{i}", [(ulong)i])], 0))];

    [Fact]
    public void Stamp_OneCaptureOfThree_IntervalIStampedNMinusIStepsBeforeNow()
    {
        var capture = Capture(TableFormats.PageFaults, 3);

        var stamped = ReplaySource.Stamp([capture], Now);

        Assert.Equal(3, stamped.Count);
        Assert.Equal(Now.AddSeconds(-2), stamped[0].Start);
        Assert.Equal(Now.AddSeconds(-1), stamped[1].Start);
        Assert.Equal(Now, stamped[2].Start);
        Assert.Same(capture[0], stamped[0].Table);
        Assert.Same(capture[1], stamped[1].Table);
        Assert.Same(capture[2], stamped[2].Table);
        Assert.All(stamped, s => Assert.Equal(0, s.Source));
    }

    [Fact]
    public void Stamp_TwoCapturesOfDifferentLength_InterleavedInTimeOrderEndingNow()
    {
        var pagefaults = Capture(TableFormats.PageFaults, 3);
        var kmem = Capture(TableFormats.Kmem, 2);

        var stamped = ReplaySource.Stamp([pagefaults, kmem], Now);

        Assert.Equal(
            [
                new StampedTable(Now.AddSeconds(-2), 0, pagefaults[0]),
                new StampedTable(Now.AddSeconds(-1), 0, pagefaults[1]),
                new StampedTable(Now.AddSeconds(-1), 1, kmem[0]),
                new StampedTable(Now, 0, pagefaults[2]),
                new StampedTable(Now, 1, kmem[1]),
            ],
            stamped);
    }

    [Fact]
    public void Stamp_LaterCaptureListedFirst_StillInTimeOrder()
    {
        var shortCapture = Capture(TableFormats.Kmem, 1);
        var longCapture = Capture(TableFormats.PageFaults, 2);

        var stamped = ReplaySource.Stamp([shortCapture, longCapture], Now);

        Assert.Equal([new StampedTable(Now.AddSeconds(-1), 1, longCapture[0]), new StampedTable(Now, 0, shortCapture[0]), new StampedTable(Now, 1, longCapture[1])], stamped);
    }

    [Fact]
    public void Stamp_NoCaptures_Empty()
    {
        Assert.Empty(ReplaySource.Stamp([], Now));
    }
}
