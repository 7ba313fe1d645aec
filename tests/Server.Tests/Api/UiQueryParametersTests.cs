using Tracefleet.Server.Api;

namespace Tracefleet.Server.Tests.Api;

public sealed class UiQueryParametersTests
{
    [Theory]
    [InlineData(null, 20)]
    [InlineData("1", 1)]
    [InlineData("5000", 5000)]
    [InlineData("0", 5000)]
    public void TryLimit_WithinTheMaximum_CountOrTheMaximumForZero(string? limit, int expected)
    {
        Assert.True(UiQueryParameters.TryLimit(limit, 20, out var count, out var problem), problem);
        Assert.Equal(expected, count);
    }

    [Theory]
    [InlineData("5001")]
    [InlineData("2147483648")]
    [InlineData("-1")]
    [InlineData("ten")]
    [InlineData("")]
    public void TryLimit_PastTheMaximumOrNotANumber_RefusedNamingTheMaximum(string limit)
    {
        Assert.False(UiQueryParameters.TryLimit(limit, 20, out _, out var problem));
        Assert.Contains("from 1 to 5000, or 0 for the most allowed (5000)", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("json", false)]
    [InlineData("csv", true)]
    [InlineData("CSV", true)]
    public void TryFormat_JsonOrCsv_Taken(string? format, bool expected)
    {
        Assert.True(UiQueryParameters.TryFormat(format, out var csv, out var problem), problem);
        Assert.Equal(expected, csv);
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("")]
    [InlineData("csv ")]
    public void TryFormat_AnythingElse_RefusedSayingWhatIsTaken(string format)
    {
        Assert.False(UiQueryParameters.TryFormat(format, out _, out var problem));
        Assert.Equal($"format must be json or csv (got \"{format}\").", problem);
    }

    [Theory]
    [InlineData("0", 1000)]
    [InlineData("1000", 1000)]
    public void TryLimit_CompareMaximum_ZeroIsIt(string limit, int expected)
    {
        Assert.True(UiQueryParameters.TryLimit(limit, 20, out var count, out var problem, UiQueryParameters.MaxCompareRows), problem);
        Assert.Equal(expected, count);
        Assert.False(UiQueryParameters.TryLimit("1001", 20, out _, out problem, UiQueryParameters.MaxCompareRows));
        Assert.Contains("from 1 to 1000, or 0 for the most allowed (1000)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryHosts_FiftyDistinctRepeated_AcceptedOncePerName()
    {
        var hosts = Enumerable.Range(0, 50).Select(i => $"web-{i}").ToArray();

        Assert.True(UiQueryParameters.TryHosts([.. hosts, .. hosts, ""], out var names, out var problem), problem);
        Assert.Equal(hosts, names);
    }

    [Fact]
    public void TryHosts_FiftyOne_RefusedNamingTheMaximum()
    {
        Assert.False(UiQueryParameters.TryHosts([.. Enumerable.Range(0, 51).Select(i => $"web-{i}")], out _, out var problem));
        Assert.Equal("name at most 50 hosts in one request (got 51).", problem);
    }

    [Theory]
    [InlineData("web-01\u0000", "U+0000")]
    [InlineData("web-01\nforged", "U+000A")]
    [InlineData("web\u200B-01", "U+200B")]
    [InlineData("\u202Eweb-01", "U+202E")]
    public void TryHosts_ControlOrFormattingCharacter_RefusedNamingIt(string host, string named)
    {
        Assert.False(UiQueryParameters.TryHosts(["web-02", host], out _, out var problem));
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LongerThanADnsName_RefusedSayingTheLength()
    {
        Assert.Equal("a host name is 1 to 253 characters long (got 254).", HostNames.Check(new string('a', 254)));
        Assert.Null(HostNames.Check(new string('a', 253)));
    }
}
