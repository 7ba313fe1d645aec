using System.Net;
using System.Text.Json;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd;

/// <summary>Bad requests are refused with a problem body that says why, never a 500.</summary>
public sealed class ApiRefusalTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("/api/hosts/no-such-host/top?probe=kmem", HttpStatusCode.NotFound, "no-such-host")]
    [InlineData("/api/hosts/no-such-host", HttpStatusCode.NotFound, "no-such-host")]
    [InlineData("/api/hosts/any/top", HttpStatusCode.BadRequest, "probe must be")]
    [InlineData("/api/hosts/any/top?probe=syscalls", HttpStatusCode.BadRequest, "syscalls")]
    [InlineData("/api/hosts/any/top?probe=kmem&limit=-1", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/hosts/any/top?probe=kmem&limit=ten", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/hosts/any/top?probe=kmem&from=yesterday", HttpStatusCode.BadRequest, "from must be an ISO-8601")]
    [InlineData("/api/hosts/any/top?probe=kmem&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", HttpStatusCode.BadRequest, "from must not be after to")]
    public async Task Get_BadRequest_ProblemBodySaysWhy(string path, HttpStatusCode status, string detailMentions)
    {
        using var response = await fixture.Server.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<ProblemDto>(body, ServerProcess.Json)!;
        Assert.Equal((int)status, problem.Status);
        Assert.Contains(detailMentions, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_RunningServer_Healthy()
    {
        using var response = await fixture.Server.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
