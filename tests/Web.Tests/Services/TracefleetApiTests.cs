using System.Net;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Services;

/// <summary>Every way an API call fails reaches the page as a sentence a person reads, never a runtime resource key.</summary>
public sealed class TracefleetApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HostsAsync_ProblemAnswer_StatusAndTheServersDetail()
    {
        var api = new TracefleetApi(new FakeApi().Answer("/api/hosts", """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"Bad request","status":400,"detail":"limit must be 1 to 1000"}
            """, HttpStatusCode.BadRequest).Client());

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => api.HostsAsync());

        Assert.Equal("The server answered 400 Bad Request: limit must be 1 to 1000", e.Message);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
    }

    [Fact]
    public async Task HostAsync_ProblemWithATitleOnly_TheTitle()
    {
        var api = new TracefleetApi(new FakeApi().Answer("/api/hosts/web-01", """{"title":"Not Found","status":404}""", HttpStatusCode.NotFound).Client());

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => api.HostAsync("web-01"));

        Assert.Equal("The server answered 404 Not Found: Not Found", e.Message);
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task FleetSummaryAsync_AProxysHtmlPage_TheStatusAlone()
    {
        var api = new TracefleetApi(new FakeApi().Answer("/api/fleet/summary", "<html><body>502 Bad Gateway</body></html>", HttpStatusCode.BadGateway).Client());

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => api.FleetSummaryAsync(60));

        Assert.Equal("The server answered 502 Bad Gateway.", e.Message);
    }

    [Fact]
    public async Task HostsAsync_ServerDoesNotAnswer_SaysSo()
    {
        using var client = new HttpClient(new Unreachable()) { BaseAddress = new Uri("http://tracefleet.test/") };
        var api = new TracefleetApi(client);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => api.HostsAsync());

        Assert.Equal(ApiErrors.Unreachable, e.Message);
        Assert.Null(e.StatusCode);
    }

    [Fact]
    public async Task HostsAsync_AnswerThatIsNotTheExpectedJson_SaysItCouldNotBeRead()
    {
        var api = new TracefleetApi(new FakeApi().Answer("/api/hosts", """{"hosts":"not a list"}""").Client());

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => api.HostsAsync());

        Assert.Equal("The server's answer to api/hosts could not be read: is this UI as new as the server?", e.Message);
    }

    [Fact]
    public async Task PreviewRuleAsync_ValidationProblemNamingTheRulesFields_ReasonsByTheFormsFieldNames()
    {
        var api = new TracefleetApi(new FakeApi().Answer("/api/rules/preview", """
            {"title":"One or more validation errors occurred.","status":400,
             "errors":{"rule.column":["no such column"],"Window":["not a duration"],"from":["not a time"]}}
            """, HttpStatusCode.BadRequest, HttpMethod.Post).Client());

        var e = await Assert.ThrowsAsync<ApiValidationException>(() => api.PreviewRuleAsync(SomeRule, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow).WaitAsync(Patience));

        Assert.Equal(["column", "window", "from"], e.Errors.Keys);
        Assert.Equal(["no such column"], e.Errors["column"]);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("The server answered 400 Bad Request: One or more validation errors occurred.", e.Message);
    }

    [Fact]
    public async Task CreateRuleAsync_BadRequestWithoutFieldErrors_APlainFailure()
    {
        var api = new TracefleetApi(new FakeApi().Answer("/api/rules", """{"title":"Bad request","status":400,"detail":"the body is not JSON"}""",
            HttpStatusCode.BadRequest, HttpMethod.Post).Client());

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => api.CreateRuleAsync(SomeRule).WaitAsync(Patience));

        Assert.IsNotType<ApiValidationException>(e);
        Assert.Equal("The server answered 400 Bad Request: the body is not JSON", e.Message);
    }

    [Fact]
    public async Task DeleteSilenceAsync_NoContent_DoneAndTheIdEscapedInThePath()
    {
        var fake = new FakeApi().Answer("/api/silences/a%2Fb", "", HttpStatusCode.NoContent, HttpMethod.Delete);
        var api = new TracefleetApi(fake.Client());

        await api.DeleteSilenceAsync("a/b").WaitAsync(Patience);

        Assert.Single(fake.SentTo(HttpMethod.Delete, "/api/silences/a%2Fb"));
    }

    [Fact]
    public async Task SilencesAsync_NumberAndStringIds_BothKeptAsText()
    {
        var api = new TracefleetApi(new FakeApi().Answer("/api/silences", """
            [{"id":42,"rule":null,"host":"web-*","key":null,"endsAt":"2026-11-26T08:00:00Z","comment":"deploy","createdAt":"2026-11-26T06:00:00Z"},
             {"id":"7f3a","rule":"r","host":null,"key":"","endsAt":"2026-11-26T08:00:00Z","comment":"","createdAt":"2026-11-26T06:00:00Z"}]
            """).Client());

        var silences = await api.SilencesAsync().WaitAsync(Patience);

        Assert.Equal(["42", "7f3a"], silences!.Select(s => s.Id));
        Assert.Equal((null, "web-*", null), (silences![0].Rule, silences[0].Host, silences[0].Key));
    }

    [Fact]
    public async Task RulesAsync_ThresholdsAndDurationsAsNumbersOrText_KeptAsTheirText()
    {
        var api = new TracefleetApi(new FakeApi().Answer("/api/rules", """
            [{"name":"r","probe":"kmem","column":"net","key":null,"hosts":"db-*","above":1e3,"below":null,"window":"10s","for":0,"clear":"800",
              "keepFiringFor":"0s","noData":"ignore","severity":"warning","labels":{},"annotations":{},"source":"file","problem":null}]
            """).Client());

        var rule = Assert.Single((await api.RulesAsync().WaitAsync(Patience))!);

        Assert.Equal(("1e3", "0", "800", "db-*"), (rule.Above, rule.For, rule.Clear, rule.Hosts));
        Assert.True(rule.FromFile);
    }

    [Fact]
    public async Task PreviewRuleAsync_TimesWithAnOffset_ReadAsThatInstant()
    {
        var api = new TracefleetApi(new FakeApi().Answer("/api/rules/preview", """
            {"resolution":"1s","samples":60,"firings":[{"host":"h","key":"k","startsAt":"2026-11-26T07:00:00+01:00","endsAt":null,"peak":2}]}
            """, method: HttpMethod.Post).Client());

        var firing = Assert.Single((await api.PreviewRuleAsync(SomeRule, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow).WaitAsync(Patience))!.Firings);

        Assert.Equal(new DateTime(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc), firing.StartsAt.UtcDateTime);
        Assert.Null(firing.EndsAt);
    }

    private static AlertRule SomeRule { get; } = new(
        "r", "pagefaults", "faults", null, null, "1", null, "1m", "0s", null, "0s", "ignore", "warning", new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>A server that is not there: the request fails before any answer, as a browser's fetch does.</summary>
    private sealed class Unreachable : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("net_http_message_not_success_statuscode_reason");
    }
}
