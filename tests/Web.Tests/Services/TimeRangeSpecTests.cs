namespace Tracefleet.Web.Tests.Services;

public sealed class TimeRangeSpecTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("15m", 15 * 60)]
    [InlineData("24h", 24 * 3600)]
    [InlineData("30d", 30 * 86400)]
    public void Parse_Preset_EndsNowAndSpansIt(string preset, int seconds)
    {
        var range = TimeRangeSpec.Parse(preset, null, null);

        Assert.Equal((Now.AddSeconds(-seconds), Now), range.Resolve(Now));
        Assert.True(range.IsRelative);
    }

    [Fact]
    public void Parse_AbsoluteFromTo_WinsOverPreset()
    {
        var range = TimeRangeSpec.Parse("1h", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z");

        Assert.Equal((new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc)), range.Resolve(Now));
        Assert.Equal("2026-11-01T00:00:00Z", range.QueryParameters()["from"]);
    }

    [Theory]
    [InlineData("nonsense", null, null)]
    [InlineData(null, "2026-11-02T00:00:00Z", "2026-11-01T00:00:00Z")]
    [InlineData(null, "yesterday", "2026-11-01T00:00:00Z")]
    public void Parse_Unusable_LastFifteenMinutes(string? preset, string? from, string? to) =>
        Assert.Equal((Now.AddMinutes(-15), Now), TimeRangeSpec.Parse(preset, from, to).Resolve(Now));

    [Fact]
    public void Step_OneHourIn60_OneMinute() =>
        Assert.Equal("60s", TimeRangeSpec.Parse("1h", null, null).Step(Now, 60));

    [Fact]
    public void Between_EndsReversedAndMidSecond_OrderedAndWidenedToWholeSeconds()
    {
        var range = TimeRangeSpec.Between(Now.AddSeconds(90.4), Now.AddSeconds(30.6));

        Assert.Equal((Now.AddSeconds(30), Now.AddSeconds(91)), range.Resolve(Now));
        Assert.Equal(range, TimeRangeSpec.Parse(null, (string?)range.QueryParameters()["from"], (string?)range.QueryParameters()["to"]));
    }

    [Fact]
    public void Between_WithinOneSecond_OneSecondLong() =>
        Assert.Equal((Now, Now.AddSeconds(1)), TimeRangeSpec.Between(Now.AddSeconds(0.2), Now.AddSeconds(0.2)).Resolve(Now));

    [Fact]
    public void ZoomedOut_PastHour_TwiceAsLongAboutTheSameMiddle()
    {
        var hour = TimeRangeSpec.Between(Now.AddHours(-5), Now.AddHours(-4));

        Assert.Equal((Now.AddHours(-5.5), Now.AddHours(-3.5)), hour.ZoomedOut(Now).Resolve(Now));
    }

    [Fact]
    public void ZoomedOut_EndingNow_TwiceAsLongStillEndingNow() =>
        Assert.Equal((Now.AddMinutes(-30), Now), TimeRangeSpec.Parse("15m", null, null).ZoomedOut(Now).Resolve(Now));
}
