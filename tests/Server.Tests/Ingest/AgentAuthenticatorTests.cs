using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tracefleet.Server.Ingest;
using Tracefleet.Server.Tests.Support;

namespace Tracefleet.Server.Tests.Ingest;

/// <summary>
/// Authentication from what an agent presents before any message (token, client certificate), then the Hello's host
/// against the identity: both halves of what the ingest edge decides.
/// </summary>
public sealed class AgentAuthenticatorTests
{
    private const string WebToken = "web-token-1";
    private const string DbToken = "db-token-2";

    private static AgentAuthenticator Authenticator(bool anonymous = false, params (string Host, string Token)[] tokens) =>
        new(new FixedOptionsMonitor<AuthOptions>(new AuthOptions
        {
            AllowAnonymousAgents = anonymous,
            AgentTokens = tokens.ToDictionary(t => t.Host, t => t.Token, StringComparer.Ordinal),
        }));

    private static AgentAuthenticator Configured() => Authenticator(false, ("web-01", WebToken), ("db-01", AgentTokens.Digest(DbToken)));

    /// <summary>Authenticates as the handler does, then checks the Hello's host as the service does; null when admitted.</summary>
    private static AgentRefusal? Check(AgentAuthenticator authenticator, string host, string? authorization, X509Certificate2? certificate = null)
    {
        var identity = authenticator.Authenticate(authorization, certificate, out var refusal);
        return identity is null ? refusal : identity.MayWriteFor(host);
    }

    [Fact]
    public void Check_AnonymousAllowed_AdmitsWithoutToken() => Assert.Null(Check(Authenticator(anonymous: true), "web-01", null));

    [Fact]
    public void Check_NoTokensConfigured_UnauthenticatedSayingHowToCreateOne()
    {
        var refusal = Check(Authenticator(), "web-01", "Bearer " + WebToken);

        Assert.NotNull(refusal);
        Assert.Equal(AgentRefusalKind.Unauthenticated, refusal.Kind);
        Assert.Contains("token create HOST", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic d2ViOnB3")]
    [InlineData("Bearer ")]
    public void Check_NoBearerToken_Unauthenticated(string? authorization) =>
        Assert.Equal(AgentRefusalKind.Unauthenticated, Check(Configured(), "web-01", authorization)?.Kind);

    [Fact]
    public void Check_UnknownToken_UnauthenticatedNotValidForThisHost()
    {
        var refusal = Check(Configured(), "web-01", "Bearer guessed");

        Assert.Equal(AgentRefusalKind.Unauthenticated, refusal?.Kind);
        Assert.Equal("the token is not valid for this host", refusal?.Message);
    }

    [Fact]
    public void Check_AnotherHostsToken_PermissionDeniedNamingNoHostTheOwnerOnlyInTheLog()
    {
        var refusal = Check(Configured(), "web-01", "Bearer " + DbToken);

        Assert.NotNull(refusal);
        Assert.Equal(AgentRefusalKind.PermissionDenied, refusal.Kind);
        Assert.Equal("the token is not valid for this host", refusal.Message);
        Assert.Contains("db-01", refusal.LogDetail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TokenForAHostNotConfigured_PermissionDenied() =>
        Assert.Equal(AgentRefusalKind.PermissionDenied, Check(Configured(), "new-host", "Bearer " + WebToken)?.Kind);

    [Theory]
    [InlineData("web-01", WebToken)]
    [InlineData("db-01", DbToken)]
    public void Check_TheHostsOwnToken_Admitted(string host, string token) => Assert.Null(Check(Configured(), host, "Bearer " + token));

    [Fact]
    public void Authenticate_HostConfiguredInMixedCase_TokenWritesForTheLowercaseName()
    {
        var identity = Authenticator(false, ("Web-01", WebToken)).Authenticate("Bearer " + WebToken, null, out _);

        Assert.Equal(["web-01"], identity?.TokenHosts);
    }

    [Fact]
    public void Authenticate_OneTokenConfiguredForTwoHosts_WritesForBoth()
    {
        var identity = Authenticator(false, ("web-01", WebToken), ("web-02", AgentTokens.Digest(WebToken))).Authenticate("Bearer " + WebToken, null, out _);

        Assert.NotNull(identity);
        Assert.Null(identity.MayWriteFor("web-01"));
        Assert.Null(identity.MayWriteFor("web-02"));
        Assert.NotNull(identity.MayWriteFor("db-01"));
    }

    [Fact]
    public void Check_ClientCertificateWithoutToken_AdmitsTheHostItNamesOnly()
    {
        using var certificate = Certificate("web-01");

        Assert.Null(Check(Configured(), "web-01", null, certificate));
        var refusal = Check(Configured(), "db-01", null, certificate);
        Assert.Equal(AgentRefusalKind.PermissionDenied, refusal?.Kind);
        Assert.Contains("client certificate is for web-01", refusal?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TokenAndCertificateOfDifferentHosts_PermissionDeniedEitherWay()
    {
        using var certificate = Certificate("web-01");

        Assert.Equal(AgentRefusalKind.PermissionDenied, Check(Configured(), "db-01", "Bearer " + DbToken, certificate)?.Kind);
        Assert.Equal(AgentRefusalKind.PermissionDenied, Check(Configured(), "web-01", "Bearer " + DbToken, certificate)?.Kind);
        Assert.Null(Check(Configured(), "web-01", "Bearer " + WebToken, certificate));
    }

    [Fact]
    public void Check_ValidCertificateButUnknownToken_Unauthenticated()
    {
        using var certificate = Certificate("web-01");

        Assert.Equal(AgentRefusalKind.Unauthenticated, Check(Configured(), "web-01", "Bearer guessed", certificate)?.Kind);
    }

    [Fact]
    public void Principal_RoundTrip_SameIdentity()
    {
        var identity = new AgentIdentity(["web-01", "web-02"], ["web-01"]);

        var back = AgentIdentity.FromPrincipal(identity.ToPrincipal("Agent"));

        Assert.NotNull(back);
        Assert.Equal(identity.TokenHosts, back.TokenHosts);
        Assert.Equal(identity.CertificateNames, back.CertificateNames);
        Assert.Null(AgentIdentity.FromPrincipal(new AgentIdentity(null, null).ToPrincipal("Agent"))?.TokenHosts);
        Assert.Null(AgentIdentity.FromPrincipal(new System.Security.Claims.ClaimsPrincipal()));
    }

    private static X509Certificate2 Certificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
