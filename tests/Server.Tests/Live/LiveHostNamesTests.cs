using Tracefleet.Server.Live;

namespace Tracefleet.Server.Tests.Live;

/// <summary>The names a hub client may join: those an agent may report under.</summary>
public sealed class LiveHostNamesTests
{
    [Theory]
    [InlineData("web-01")]
    [InlineData("db.example.com")]
    [InlineData("x")]
    public void Problem_AgentHostName_None(string host) => Assert.Null(LiveHostNames.Problem(host));

    [Fact]
    public void Problem_LongestAllowed_None() => Assert.Null(LiveHostNames.Problem(new string('a', 253)));

    [Theory]
    [InlineData(null, "1 to 253 characters")]
    [InlineData("", "1 to 253 characters")]
    [InlineData("web-01\n2026-11-26 INFO forged", "control characters")]
    [InlineData("web\u001b[31m-01", "control characters")]
    [InlineData("web-01\u0000", "control characters")]
    public void Problem_NotAHostName_SaysWhy(string? host, string why) => Assert.Contains(why, LiveHostNames.Problem(host), StringComparison.Ordinal);

    [Fact]
    public void Problem_OneCharacterTooLong_SaysTheLimit() =>
        Assert.Contains("1 to 253 characters", LiveHostNames.Problem(new string('a', 254)), StringComparison.Ordinal);
}
