using Tracefleet.Server.Alerts.Rules;

namespace Tracefleet.Server.Tests.Alerts;

public sealed class GlobTests
{
    [Theory]
    [InlineData("libc.so*", "libc.so.6", true)]
    [InlineData("libc.so*", "/usr/lib/libc.so.6", false)]
    [InlineData("*libc.so*", "/usr/lib/libc.so.6", true)]
    [InlineData("web-*", "web-01", true)]
    [InlineData("web-*", "db-01", false)]
    [InlineData("web-??", "web-01", true)]
    [InlineData("web-??", "web-001", false)]
    [InlineData("*", "", true)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXbY", false)]
    [InlineData("\\*", "*", true)]
    [InlineData("\\*", "x", false)]
    [InlineData("???", "[ anon ]", false)]
    [InlineData("\\?\\?\\?", "???", true)]
    [InlineData("kmalloc-*", "KMALLOC-64", false)]
    public void IsMatch_Pattern_MatchesWholeNameOnly(string pattern, string name, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern, out _)!.IsMatch(name));

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("abc\\", "lone \\")]
    public void Parse_BadPattern_SaysWhy(string pattern, string why)
    {
        Assert.Null(Glob.Parse(pattern, out var problem));
        Assert.Contains(why, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PatternLongerThanTheLimit_IsRefused()
    {
        Assert.Null(Glob.Parse(new string('a', Glob.MaxLength + 1), out var problem));
        Assert.Contains($"at most {Glob.MaxLength}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void IsMatch_ManyStarsAgainstALongNearMiss_StaysLinearInSteps()
    {
        // The shape that makes backtracking matchers exponential: it must still answer, and answer false.
        var glob = Glob.Parse(string.Concat(Enumerable.Repeat("a*", 60)) + "b", out _)!;
        Assert.False(glob.IsMatch(new string('a', 4096)));
    }
}
