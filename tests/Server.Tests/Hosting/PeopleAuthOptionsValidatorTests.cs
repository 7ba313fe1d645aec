using Microsoft.Extensions.Configuration;
using Tracefleet.Server.People;

namespace Tracefleet.Server.Tests.Hosting;

public sealed class PeopleAuthOptionsValidatorTests
{
    private static string? Validate(string? urls, PeopleAuthOptions options)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();
        var result = new PeopleAuthOptionsValidator(configuration).Validate(null, options);
        return result.Failed ? result.FailureMessage : null;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080;http://127.0.0.2:5090")]
    public void Validate_ModeUnsetOnLoopback_NoneWithoutComplaint(string? urls)
    {
        var options = new PeopleAuthOptions();

        Assert.Null(Validate(urls, options));
        Assert.Equal(PeopleAuthMode.None, options.Effective);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://[::]:5080")]
    [InlineData("http://192.0.2.10:5080")]
    [InlineData("http://127.0.0.1:5080;http://0.0.0.0:5090")]
    public void Validate_ModeUnsetBeyondLoopback_RefusedSayingWhatToSet(string urls)
    {
        var problem = Validate(urls, new PeopleAuthOptions());

        Assert.NotNull(problem);
        Assert.Contains("Auth:People:Mode is not set: set it to ApiKey or OpenIdConnect", problem, StringComparison.Ordinal);
        Assert.Contains(urls.Split(';')[^1], problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("None")]
    [InlineData("apikey")]
    public void Validate_ModeSaidOutLoudBeyondLoopback_Accepted(string mode) =>
        Assert.Null(Validate("http://0.0.0.0:5080", new PeopleAuthOptions { Mode = mode }));

    [Theory]
    [InlineData("Basic")]
    [InlineData("2")]
    public void Validate_UnknownMode_RefusedNamingTheModes(string mode) =>
        Assert.Contains("it must be None, ApiKey or OpenIdConnect", Validate(null, new PeopleAuthOptions { Mode = mode }), StringComparison.Ordinal);

    [Fact]
    public void Validate_OpenIdConnectWithoutProvider_RefusedNamingTheSettings() =>
        Assert.Contains(
            "needs Auth:People:OpenIdConnect:Authority",
            Validate(null, new PeopleAuthOptions { Mode = "OpenIdConnect", OpenIdConnect = { ClientId = "tracefleet" } }),
            StringComparison.Ordinal);

    [Fact]
    public void Validate_OpenIdConnectWithProviderAndClient_Accepted() =>
        Assert.Null(Validate(null, new PeopleAuthOptions { Mode = "OpenIdConnect", OpenIdConnect = { Authority = "https://id.example", ClientId = "tracefleet" } }));
}
