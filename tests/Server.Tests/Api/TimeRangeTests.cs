using Tracefleet.Server.Api;

namespace Tracefleet.Server.Tests.Api;

public sealed class TimeRangeTests
{
    [Fact]
    public void TryParse_NeitherGiven_AllHistory()
    {
        Assert.True(TimeRange.TryParse(null, "", out var range, out _));
        Assert.Equal((long.MinValue, long.MaxValue), (range.FromUnixMs, range.ToUnixMs));
    }

    [Theory]
    [InlineData("2026-11-26T06:00:00Z", 1795672800000)]
    [InlineData("2026-11-26T07:00:00+01:00", 1795672800000)]
    [InlineData("2026-11-26T06:00:00", 1795672800000)]
    public void TryParse_IsoTimes_ReadAsUtc(string from, long expectedUnixMs)
    {
        Assert.True(TimeRange.TryParse(from, null, out var range, out var problem), problem);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(expectedUnixMs), DateTimeOffset.FromUnixTimeMilliseconds(range.FromUnixMs));
    }

    [Theory]
    [InlineData("yesterday", null, "from must be an ISO-8601 time")]
    [InlineData(null, "soon", "to must be an ISO-8601 time")]
    [InlineData("2026-11-27T00:00:00Z", "2026-11-26T00:00:00Z", "from must not be after to")]
    public void TryParse_Bad_ProblemSaysWhich(string? from, string? to, string expected)
    {
        Assert.False(TimeRange.TryParse(from, to, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
