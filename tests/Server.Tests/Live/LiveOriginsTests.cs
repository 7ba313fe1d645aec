using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Live;

namespace Tracefleet.Server.Tests.Live;

/// <summary>Which pages may open the hub: programs (no Origin), the server's own pages, and the configured origins.</summary>
public sealed class LiveOriginsTests
{
    private readonly LiveOrigins _origins = new(Options.Create(new LiveOptions { AllowedOrigins = " https://Grafana.example.com/ ;http://10.0.0.5:3000" }));

    [Theory]
    [InlineData(null, "127.0.0.1:5080")]
    [InlineData("http://127.0.0.1:5080", "127.0.0.1:5080")]
    [InlineData("http://LOCALHOST:5080", "localhost:5080")]
    [InlineData("http://[::1]:5080", "[::1]:5080")]
    [InlineData("https://tracefleet.example.com", "tracefleet.example.com")]
    [InlineData("https://grafana.example.com", "127.0.0.1:5080")]
    [InlineData("https://grafana.example.com:443", "127.0.0.1:5080")]
    [InlineData("http://10.0.0.5:3000", "127.0.0.1:5080")]
    public void Allows_ProgramsOwnPagesAndListedOrigins_True(string? origin, string host) => Assert.True(_origins.Allows(Request(origin, host)));

    [Theory]
    [InlineData("http://evil.example", "127.0.0.1:5080")]
    [InlineData("http://127.0.0.1:5081", "127.0.0.1:5080")]
    [InlineData("http://10.0.0.5:3001", "127.0.0.1:5080")]
    [InlineData("http://grafana.example.com", "127.0.0.1:5080")]
    [InlineData("null", "127.0.0.1:5080")]
    [InlineData("", "127.0.0.1:5080")]
    public void Allows_AnotherSitesPage_False(string origin, string host) => Assert.False(_origins.Allows(Request(origin, host)));

    [Theory]
    [InlineData("grafana.example.com")]
    [InlineData("https://grafana.example.com/dashboards")]
    [InlineData("ftp://grafana.example.com")]
    public void Constructor_AllowedOriginNotAnOrigin_ThrowsNamingIt(string entry)
    {
        var e = Assert.Throws<InvalidOperationException>(() => new LiveOrigins(Options.Create(new LiveOptions { AllowedOrigins = entry })));
        Assert.Contains($"\"{entry}\"", e.Message, StringComparison.Ordinal);
    }

    private static HttpRequest Request(string? origin, string host)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return context.Request;
    }
}
