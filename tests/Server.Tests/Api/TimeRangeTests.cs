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
    [InlineData("2026-11-26T06:00", 1795672800000)]
    [InlineData("2026-11-26", 1795651200000)]
    [InlineData("2026-11-26T06:00:00.250Z", 1795672800250)]
    [InlineData("2026-11-26T06:00:00.2500000Z", 1795672800250)]
    public void TryParse_IsoTimes_ReadAsUtc(string from, long expectedUnixMs)
    {
        Assert.True(TimeRange.TryParse(from, null, out var range, out var problem), problem);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(expectedUnixMs), DateTimeOffset.FromUnixTimeMilliseconds(range.FromUnixMs));
    }

    [Theory]
    [InlineData("yesterday", null, "from must be an ISO-8601 time")]
    [InlineData(null, "soon", "to must be an ISO-8601 time")]
    [InlineData("2026-11-27T00:00:00Z", "2026-11-26T00:00:00Z", "from must not be after to")]
    [InlineData("12/11/2026", null, "from must be an ISO-8601 time")]
    [InlineData("11/12/2026 06:00", null, "from must be an ISO-8601 time")]
    [InlineData("Nov 26 2026", null, "from must be an ISO-8601 time")]
    [InlineData("2026-11-26 06:00:00", null, "from must be an ISO-8601 time")]
    [InlineData("2026-11-26T06:00:00Z\n", null, "from must be an ISO-8601 time")]
    [InlineData("٢٠٢٦-11-26", null, "from must be an ISO-8601 time")]
    [InlineData("2026-13-01", null, "from must be an ISO-8601 time")]
    [InlineData(null, "2026-11-26T06:00:00.1234567890Z", "to must be an ISO-8601 time")]
    public void TryParse_Bad_ProblemSaysWhich(string? from, string? to, string expected)
    {
        Assert.False(TimeRange.TryParse(from, to, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_DayMonthOrMonthDay_RefusedNamingTheFormat()
    {
        Assert.False(TimeRange.TryParse("12/11/2026", null, out _, out var problem));

        Assert.Equal("from must be an ISO-8601 time such as 2026-11-26T06:00:00Z, 2026-11-26T07:00:00+01:00 or 2026-11-26 (got \"12/11/2026\").", problem);
    }

    [Fact]
    public void TryParse_OffsetPlusLeftUnescaped_ProblemSaysToEscapeIt()
    {
        // "+01:00" in a query string that nobody escaped arrives as " 01:00".
        Assert.False(TimeRange.TryParse("2026-11-26T07:00:00 01:00", null, out _, out var problem));

        Assert.EndsWith("An offset's + must be sent as %2B.", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_VeryLongText_ProblemQuotesOnlyItsStart()
    {
        Assert.False(TimeRange.TryParse(new string('9', 10_000), null, out _, out var problem));

        Assert.InRange(problem!.Length, 100, 300);
    }
}
