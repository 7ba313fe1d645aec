namespace Tracefleet.Web.Tests.Services;

public sealed class PageTitlesTests
{
    [Theory]
    [InlineData(new[] { "web-01", "page faults by file" }, "web-01 · page faults by file · Tracefleet")]
    [InlineData(new[] { "Fleet" }, "Fleet · Tracefleet")]
    [InlineData(new[] { "", "page faults by file", "compare" }, "page faults by file · compare · Tracefleet")]
    [InlineData(new[] { " ", "history" }, "history · Tracefleet")]
    public void Of_Parts_JoinedMostSpecificFirstEmptyOnesLeftOut(string[] parts, string expected) =>
        Assert.Equal(expected, PageTitles.Of(parts));

    [Fact]
    public void Of_NothingKnownYet_TheProductAlone() => Assert.Equal("Tracefleet", PageTitles.Of(null, null));
}
