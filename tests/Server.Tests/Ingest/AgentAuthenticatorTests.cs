using Grpc.Core;
using Tracefleet.Server.Ingest;
using Tracefleet.Server.Tests.Support;

namespace Tracefleet.Server.Tests.Ingest;

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

    private static Metadata Bearer(string token) => new() { { "Authorization", "Bearer " + token } };

    [Fact]
    public void Check_AnonymousAllowed_AdmitsWithoutToken() => Assert.Null(Authenticator(anonymous: true).Check("web-01", []));

    [Fact]
    public void Check_NoTokensConfigured_UnauthenticatedSayingHowToCreateOne()
    {
        var refusal = Authenticator().Check("web-01", Bearer(WebToken));

        Assert.NotNull(refusal);
        Assert.Equal(StatusCode.Unauthenticated, refusal.Value.StatusCode);
        Assert.Contains("token create HOST", refusal.Value.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic d2ViOnB3")]
    [InlineData("Bearer ")]
    public void Check_NoBearerToken_Unauthenticated(string? authorization)
    {
        var headers = new Metadata();
        if (authorization is not null)
        {
            headers.Add("authorization", authorization);
        }

        var refusal = Configured().Check("web-01", headers);

        Assert.Equal(StatusCode.Unauthenticated, refusal?.StatusCode);
    }

    [Fact]
    public void Check_UnknownToken_Unauthenticated() =>
        Assert.Equal(StatusCode.Unauthenticated, Configured().Check("web-01", Bearer("guessed"))?.StatusCode);

    [Fact]
    public void Check_AnotherHostsToken_PermissionDeniedNamingTheOwner()
    {
        var refusal = Configured().Check("web-01", Bearer(DbToken));

        Assert.NotNull(refusal);
        Assert.Equal(StatusCode.PermissionDenied, refusal.Value.StatusCode);
        Assert.Contains("db-01", refusal.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TokenForAHostNotConfigured_PermissionDenied() =>
        Assert.Equal(StatusCode.PermissionDenied, Configured().Check("new-host", Bearer(WebToken))?.StatusCode);

    [Theory]
    [InlineData("web-01", WebToken)]
    [InlineData("db-01", DbToken)]
    public void Check_TheHostsOwnToken_Admitted(string host, string token) => Assert.Null(Configured().Check(host, Bearer(token)));
}
