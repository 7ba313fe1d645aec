using Tracefleet.Agent.Replay;

namespace Tracefleet.Agent.Tests.Replay;

public class ReplayStampTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static List<ParsedInterval> Capture(TableFormat format, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ParsedInterval(format, [new ParsedRow($"key{i}", (ulong)i, 0)], 0))];

    [Fact]
    public void Stamp_OneCaptureOfThree_IntervalIStampedNMinusIStepsBeforeNow()
    {
        var capture = Capture(TableFormat.PageFaults, 3);

        var stamped = ReplaySource.Stamp([capture], Now, TimeSpan.FromSeconds(1));

        Assert.Equal(3, stamped.Count);
        Assert.Equal(Now.AddSeconds(-2), stamped[0].Start);
        Assert.Equal(Now.AddSeconds(-1), stamped[1].Start);
        Assert.Equal(Now, stamped[2].Start);
        Assert.Same(capture[0], stamped[0].Interval);
        Assert.Same(capture[1], stamped[1].Interval);
        Assert.Same(capture[2], stamped[2].Interval);
    }

    [Fact]
    public void Stamp_FiveSecondStep_StampsFiveSecondsApart()
    {
        var capture = Capture(TableFormat.Kmem, 2);

        var stamped = ReplaySource.Stamp([capture], Now, TimeSpan.FromSeconds(5));

        Assert.Equal([Now.AddSeconds(-5), Now], stamped.Select(s => s.Start));
    }

    [Fact]
    public void Stamp_TwoCapturesOfDifferentLength_InterleavedInTimeOrderEndingNow()
    {
        var pagefaults = Capture(TableFormat.PageFaults, 3);
        var kmem = Capture(TableFormat.Kmem, 2);

        var stamped = ReplaySource.Stamp([pagefaults, kmem], Now, TimeSpan.FromSeconds(1));

        Assert.Equal(
            [
                (Now.AddSeconds(-2), pagefaults[0]),
                (Now.AddSeconds(-1), pagefaults[1]),
                (Now.AddSeconds(-1), kmem[0]),
                (Now, pagefaults[2]),
                (Now, kmem[1]),
            ],
            stamped);
    }

    [Fact]
    public void Stamp_LaterCaptureListedFirst_StillInTimeOrder()
    {
        var shortCapture = Capture(TableFormat.Kmem, 1);
        var longCapture = Capture(TableFormat.PageFaults, 2);

        var stamped = ReplaySource.Stamp([shortCapture, longCapture], Now, TimeSpan.FromSeconds(1));

        Assert.Equal([(Now.AddSeconds(-1), longCapture[0]), (Now, shortCapture[0]), (Now, longCapture[1])], stamped);
    }

    [Fact]
    public void Stamp_NoCaptures_Empty()
    {
        Assert.Empty(ReplaySource.Stamp([], Now, TimeSpan.FromSeconds(1)));
    }
}
