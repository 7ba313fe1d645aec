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
    [InlineData("/api/hosts/any/top?probe=kmem&from=12/11/2026", HttpStatusCode.BadRequest, "from must be an ISO-8601 time such as 2026-11-26T06:00:00Z")]
    [InlineData("/api/fleet/top?probe=kmem&to=11/12/2026", HttpStatusCode.BadRequest, "to must be an ISO-8601 time")]
    [InlineData("/api/hosts/any/top?probe=kmem&from=2026-11-26T07:00:00+01:00", HttpStatusCode.BadRequest, "An offset's + must be sent as %2B")]
    [InlineData("/api/hosts/any/top?probe=kmem&limit=5001", HttpStatusCode.BadRequest, "from 1 to 5000, or 0 for the most allowed (5000)")]
    [InlineData("/api/fleet/top?probe=kmem&limit=100000", HttpStatusCode.BadRequest, "from 1 to 5000")]
    [InlineData("/api/compare?probe=kmem&host=a&host=b&limit=1001", HttpStatusCode.BadRequest, "from 1 to 1000")]
    [InlineData("/api/hosts/web%01forged", HttpStatusCode.BadRequest, "no control or formatting characters (got U+0001)")]
    [InlineData("/api/hosts/web%0Aforged/top?probe=kmem", HttpStatusCode.BadRequest, "(got U+000A)")]
    [InlineData("/api/hosts/web%E2%80%8B-01/latest?probe=kmem", HttpStatusCode.BadRequest, "(got U+200B)")]
    [InlineData("/api/fleet/top?probe=kmem&host=web%1B-01", HttpStatusCode.BadRequest, "(got U+001B)")]
    [InlineData("/api/series?probe=kmem&host=web%00-01", HttpStatusCode.BadRequest, "(got U+0000)")]
    [InlineData("/api/hosts/%00", HttpStatusCode.BadRequest, "such as %00, an encoded NUL")]
    [InlineData("/api/series?probe=kmem&from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z&step=1s", HttpStatusCode.BadRequest, "more than 5000 buckets")]
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
    public async Task Get_HostNameLongerThanDns_ProblemSaysTheLength()
    {
        using var response = await fixture.Server.Http.GetAsync("/api/hosts/" + new string('a', 254));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonSerializer.Deserialize<ProblemDto>(await response.Content.ReadAsStringAsync(), ServerProcess.Json)!;
        Assert.Equal("a host name is 1 to 253 characters long (got 254).", problem.Detail);
    }

    [Theory]
    [InlineData(50, HttpStatusCode.NotFound, "No host named")]
    [InlineData(51, HttpStatusCode.BadRequest, "name at most 50 hosts in one request (got 51).")]
    public async Task Get_ManyHostsNamed_FiftyLookedUpMoreRefused(int count, HttpStatusCode status, string detailMentions)
    {
        var hosts = string.Concat(Enumerable.Range(0, count).Select(i => $"&host=many-{i}"));

        foreach (var path in new[] { "/api/fleet/top?probe=kmem", "/api/compare?probe=kmem", "/api/series?probe=kmem" })
        {
            using var response = await fixture.Server.Http.GetAsync(path + hosts);
            var problem = JsonSerializer.Deserialize<ProblemDto>(await response.Content.ReadAsStringAsync(), ServerProcess.Json)!;
            Assert.Equal(status, response.StatusCode);
            Assert.Contains(detailMentions, problem.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_SeriesWithFiftyOneKeys_RefusedNamingTheMaximum()
    {
        using var response = await fixture.Server.Http.GetAsync("/api/series?probe=kmem" + string.Concat(Enumerable.Range(0, 51).Select(i => $"&key=k{i}")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonSerializer.Deserialize<ProblemDto>(await response.Content.ReadAsStringAsync(), ServerProcess.Json)!;
        Assert.Equal("ask for at most 50 keys at once (got 51).", problem.Detail);
    }

    [Theory]
    [InlineData("GET", "/api/no-such-endpoint", HttpStatusCode.NotFound)]
    [InlineData("POST", "/api/fleet/top?probe=kmem", HttpStatusCode.MethodNotAllowed)]
    public async Task Send_NoSuchEndpointOrMethod_ProblemBody(string method, string path, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await fixture.Server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, JsonSerializer.Deserialize<ProblemDto>(body, ServerProcess.Json)!.Status);
    }

    [Fact]
    public async Task Healthz_RunningServer_Healthy()
    {
        using var response = await fixture.Server.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
