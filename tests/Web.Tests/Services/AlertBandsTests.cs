namespace Tracefleet.Web.Tests.Services;

public sealed class AlertBandsTests
{
    private static readonly DateTime From = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = From.AddHours(1);

    [Fact]
    public void Of_FiringThenResolved_OneBandBetweenThem()
    {
        var bands = AlertBands.Of([Change(10, "pending", "firing"), Change(5, "inactive", "pending"), Change(25, "firing", "resolved")], From, To);

        var band = Assert.Single(bands);
        Assert.Equal((From.AddMinutes(10), From.AddMinutes(25), false), (band.Start, band.End, band.StillFiring));
        Assert.Equal("faults-high · libc.so.6 on web-01: firing 06:10:00 – 06:25:00 UTC", band.Title);
    }

    [Fact]
    public void Of_FiringWithoutEnd_StillFiringToTheRangesEnd()
    {
        var band = Assert.Single(AlertBands.Of([Change(50, "pending", "firing")], From, To));

        Assert.Equal((From.AddMinutes(50), To, true), (band.Start, band.End, band.StillFiring));
        Assert.EndsWith("firing 06:50:00 – on UTC", band.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_ResolvedWhoseStartIsBeforeTheRange_BandFromTheRangesStart()
    {
        var band = Assert.Single(AlertBands.Of([Change(3, "firing", "resolved")], From, To));

        Assert.Equal((From, From.AddMinutes(3)), (band.Start, band.End));
    }

    [Fact]
    public void Of_TwoKeysAndTwoFiringsOfOne_EachItsOwnBandByStart()
    {
        var bands = AlertBands.Of(
        [
            Change(30, "pending", "firing", key: ""),
            Change(40, "firing", "resolved", key: ""),
            Change(1, "pending", "firing"),
            Change(2, "firing", "resolved"),
            Change(20, "pending", "firing"),
        ], From, To);

        Assert.Equal(
            [(From.AddMinutes(1), "libc.so.6", false), (From.AddMinutes(20), "libc.so.6", true), (From.AddMinutes(30), "", false)],
            bands.Select(b => (b.Start, b.Key, b.StillFiring)));
        Assert.Equal("faults-high · (host-wide) on web-01: firing 06:30:00 – 06:40:00 UTC", bands[2].Title);
    }

    [Fact]
    public void Of_FiringThatEndsBeforeTheRange_Left()
    {
        Assert.Empty(AlertBands.Of([Change(-20, "pending", "firing"), Change(-10, "firing", "resolved")], From, To));
    }

    private static AlertTransition Change(int minute, string from, string to, string key = "libc.so.6") =>
        new(From.AddMinutes(minute), "faults-high", "web-01", key, from, to, 1500, Notified: true, Silenced: false);
}
