using Tracefleet.Server.Alerts.Rules;

namespace Tracefleet.Server.Tests.Alerts;

public sealed class RuleDurationTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("1d", 86_400_000)]
    [InlineData("0s", 0)]
    [InlineData("0", 0)]
    public void Parse_PrometheusDuration_GivesMilliseconds(string text, long ms) => Assert.Equal(ms, RuleDuration.Parse(text, out _));

    [Theory]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("1m1h")]
    [InlineData("-5s")]
    [InlineData("1.5s")]
    [InlineData("10 s")]
    [InlineData("")]
    [InlineData("99999999999999999999w")]
    public void Parse_NotADuration_SaysSo(string text)
    {
        Assert.Null(RuleDuration.Parse(text, out var problem));
        Assert.Contains("is not a duration", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(0, "0s")]
    [InlineData(3_600_500, "1h500ms")]
    public void Format_Milliseconds_ReadsBackTheSame(long ms, string text)
    {
        Assert.Equal(text, RuleDuration.Format(ms));
        Assert.Equal(ms, RuleDuration.Parse(text, out _));
    }
}
