using System.Text.RegularExpressions;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

public sealed partial class AgentTokensTests
{
    // SHA-256 of "abc", from FIPS 180-2 appendix B.1.
    private const string AbcDigest = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex UrlSafe43();

    [Fact]
    public void Create_ManyTimes_DistinctUrlSafeTokens()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => AgentTokens.Create()).ToList();

        Assert.All(tokens, t => Assert.Matches(UrlSafe43(), t));
        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Digest_KnownInput_Sha256PrefixAndLowercaseHex() => Assert.Equal(AbcDigest, AgentTokens.Digest("abc"));

    [Theory]
    [InlineData("abc")]
    [InlineData(AbcDigest)]
    [InlineData("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("SHA256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Matches_PlainOrDigestEntry_Accepted(string configured) => Assert.True(AgentTokens.Matches(configured, "abc"));

    [Theory]
    [InlineData("abd")]
    [InlineData("ABC")]
    [InlineData("")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Matches_OtherEntry_Rejected(string configured) => Assert.False(AgentTokens.Matches(configured, "abc"));

    [Theory]
    [InlineData("hunter2", true)]
    [InlineData(AbcDigest + ", hunter2", true)]
    [InlineData(AbcDigest, false)]
    [InlineData(AbcDigest + "," + AbcDigest, false)]
    [InlineData("", false)]
    public void HoldsPlainText_EntryWithTheSecretItself_True(string configured, bool plain) =>
        Assert.Equal(plain, AgentTokens.HoldsPlainText(configured));

    [Fact]
    public void Matches_OldAndNewSideBySideDuringRotation_BothAcceptedOthersNot()
    {
        var configured = $"{AgentTokens.Digest("old-token")}, {AgentTokens.Digest("new-token")}";

        Assert.True(AgentTokens.Matches(configured, "old-token"));
        Assert.True(AgentTokens.Matches(configured, "new-token"));
        Assert.False(AgentTokens.Matches(configured, "other-token"));
        Assert.False(AgentTokens.Matches(configured, "old-token, new-token"));
    }

    [Fact]
    public void Matches_DigestEntryGivenAsTheToken_Rejected() => Assert.False(AgentTokens.Matches(AbcDigest, AbcDigest));
}
