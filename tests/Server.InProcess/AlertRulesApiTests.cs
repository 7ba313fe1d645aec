using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tracefleet.Server.InProcess.Infrastructure;

namespace Tracefleet.Server.InProcess;

/// <summary><c>/api/rules</c> and <c>/api/silences</c> through the whole server: what is kept, what is refused and why.</summary>
public sealed class AlertRulesApiTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static JsonObject Rule(string name) => new()
    {
        ["name"] = name,
        ["probe"] = "pagefaults",
        ["column"] = "faults",
        ["key"] = "libc.so*",
        ["hosts"] = "web-*",
        ["above"] = 5000,
        ["for"] = "30s",
        ["labels"] = new JsonObject { ["team"] = "storage" },
    };

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var web = server.Web();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await web.SendAsync(request).WaitAsync(InProcessAgent.Patience);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Post_ValidRule_IsListedWithItsDefaultsAndSource()
    {
        var (status, created) = await SendAsync(HttpMethod.Post, "/api/rules", Rule("listed-rule"));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(5000, created.GetProperty("above").GetDouble());

        var (_, listed) = await SendAsync(HttpMethod.Get, "/api/rules");
        var rule = listed.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "listed-rule");
        Assert.Equal(
            ("10s", "30s", "0s", "ignore", "warning", "api", "storage"),
            (rule.GetProperty("window").GetString(), rule.GetProperty("for").GetString(), rule.GetProperty("keepFiringFor").GetString(),
             rule.GetProperty("noData").GetString(), rule.GetProperty("severity").GetString(), rule.GetProperty("source").GetString(),
             rule.GetProperty("labels").GetProperty("team").GetString()));
    }

    [Fact]
    public async Task Post_BadRule_Is400NamingEachFieldAndWhy()
    {
        var bad = Rule("bad-rule");
        bad["probe"] = "pagefaults";
        bad["column"] = "allocs";
        bad["key"] = "";
        bad["above"] = "lots";
        bad["for"] = "-5s";
        var (status, problem) = await SendAsync(HttpMethod.Post, "/api/rules", bad);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem.GetProperty("errors");
        Assert.Contains("not a column of pagefaults", errors.GetProperty("column")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("must not be empty", errors.GetProperty("key")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("is not a number", errors.GetProperty("above")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("is not a duration", errors.GetProperty("for")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/api/rules/bad-rule")).Status);
    }

    [Fact]
    public async Task Post_UnknownProbe_Is400OnProbe()
    {
        var rule = Rule("no-probe");
        rule["probe"] = "nosuchprobe";
        var (status, problem) = await SendAsync(HttpMethod.Post, "/api/rules", rule);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not a probe this server knows", problem.GetProperty("errors").GetProperty("probe")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostPutDelete_RuleLifecycle_AnswersEachStep()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/rules", Rule("lifecycle"))).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Post, "/api/rules", Rule("lifecycle"))).Status);

        var changed = Rule("lifecycle");
        changed["above"] = 9000;
        var (status, body) = await SendAsync(HttpMethod.Put, "/api/rules/lifecycle", changed);
        Assert.Equal((HttpStatusCode.OK, 9000.0), (status, body.GetProperty("above").GetDouble()));
        Assert.Equal(9000.0, (await SendAsync(HttpMethod.Get, "/api/rules/lifecycle")).Body.GetProperty("above").GetDouble());

        var renamed = Rule("other-name");
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Put, "/api/rules/lifecycle", renamed)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Put, "/api/rules/never-made", Rule("never-made"))).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, "/api/rules/lifecycle")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/api/rules/lifecycle")).Status);
    }

    [Fact]
    public async Task Post_HostSilentName_IsRefused()
    {
        var (status, problem) = await SendAsync(HttpMethod.Post, "/api/rules", Rule("HostSilent"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("host-silent", problem.GetProperty("errors").GetProperty("name")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silences_AddListRemove_AndBadGlobRefused()
    {
        var (status, created) = await SendAsync(HttpMethod.Post, "/api/silences", new JsonObject { ["rule"] = "storm", ["host"] = "web-*", ["duration"] = "2h", ["comment"] = "deploy" });
        Assert.Equal(HttpStatusCode.Created, status);
        var id = created.GetProperty("id").GetInt64();
        var endsAt = created.GetProperty("endsAt").GetDateTimeOffset();
        Assert.InRange(endsAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(119), TimeSpan.FromMinutes(121));

        var (_, listed) = await SendAsync(HttpMethod.Get, "/api/silences");
        Assert.Contains(listed.EnumerateArray(), s => s.GetProperty("id").GetInt64() == id && s.GetProperty("comment").GetString() == "deploy");

        var (badStatus, problem) = await SendAsync(HttpMethod.Post, "/api/silences", new JsonObject { ["host"] = "", ["duration"] = "soon" });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.True(problem.GetProperty("errors").TryGetProperty("host", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("duration", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/silences/{id}")).Status);
        Assert.DoesNotContain((await SendAsync(HttpMethod.Get, "/api/silences")).Body.EnumerateArray(), s => s.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task Silences_NoMatcher_IsRefusedNotASilenceOfEverything()
    {
        var (status, problem) = await SendAsync(HttpMethod.Post, "/api/silences", new JsonObject { ["duration"] = "1h" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at least one of rule, host or key", problem.GetProperty("errors").GetProperty("rule")[0].GetString(), StringComparison.Ordinal);
    }
}
