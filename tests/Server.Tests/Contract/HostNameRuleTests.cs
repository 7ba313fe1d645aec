using Tracefleet.Contract;

namespace Tracefleet.Server.Tests.Contract;

/// <summary>One spelling per host: DNS-like names, lowercased; look-alikes, paths and control characters refused.</summary>
public sealed class HostNameRuleTests
{
    [Theory]
    [InlineData("web-01", "web-01")]
    [InlineData("Web-01", "web-01")]
    [InlineData("BUILD_01.example.COM", "build_01.example.com")]
    [InlineData("xn--caf-dma", "xn--caf-dma")]
    [InlineData("a", "a")]
    public void Normalize_DnsLikeName_LowercasedAndAccepted(string name, string expected)
    {
        Assert.Equal(expected, HostNameRule.Normalize(name, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("", "1 to 253")]
    [InlineData("bad\nhost", "control characters")]
    [InlineData("web\u001b[31m", "control characters")]
    [InlineData("a/b", "only ASCII letters")]
    [InlineData("..", "parts between dots")]
    [InlineData("web..01", "parts between dots")]
    [InlineData(".web", "parts between dots")]
    [InlineData("web.", "parts between dots")]
    [InlineData(" web-1", "only ASCII letters")]
    [InlineData("web-1 ", "only ASCII letters")]
    [InlineData("web\u200b-1", "only ASCII letters")]
    [InlineData("web\u202e1-", "only ASCII letters")]
    [InlineData("cafe\u0301", "only ASCII letters")]
    [InlineData("caf\u00e9", "only ASCII letters")]
    [InlineData("-rf", "must not start or end with '-'")]
    [InlineData("web-", "must not start or end with '-'")]
    public void Normalize_NotAHostName_RefusedSayingWhy(string name, string expected)
    {
        Assert.Null(HostNameRule.Normalize(name, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_LookAlikesOfOneName_NoneAcceptedAsAnotherHost()
    {
        string[] lookAlikes = ["web-1\u200b", "\u202eweb-1", " web-1", "web-1 ", "web\u20101", "w\u0435b-1", "web-1\t"];

        Assert.All(lookAlikes, name => Assert.Null(HostNameRule.Normalize(name, out _)));
    }

    [Fact]
    public void Normalize_LabelAndNameAtTheirLimits_AcceptedOneMoreRefused()
    {
        var label = new string('a', HostNameRule.MaxLabelLength);
        var name = string.Join('.', Enumerable.Repeat(label, 3)) + "." + new string('b', HostNameRule.MaxLength - (3 * 64));

        Assert.Equal(HostNameRule.MaxLength, name.Length);
        Assert.NotNull(HostNameRule.Normalize(name, out _));
        Assert.Null(HostNameRule.Normalize(name + "b", out _));
        Assert.Null(HostNameRule.Normalize(label + "a", out _));
    }

    [Fact]
    public void Normalize_RefusedName_MessageShowsItEscapedNeverVerbatim()
    {
        HostNameRule.Normalize("web\u202e\n\u200b-1", out var problem);

        Assert.Contains("web\\u202e\\u000a\\u200b-1", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem!);
        Assert.DoesNotContain('\u202e', problem!);
    }
}
