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
}
