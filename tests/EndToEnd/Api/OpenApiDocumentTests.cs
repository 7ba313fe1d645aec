using System.Text.Json;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Api;

/// <summary>The OpenAPI document a real server serves describes what every read of the HTTP API answers with.</summary>
public sealed class OpenApiDocumentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Document_EveryApiGet_HasJsonSchemaFor200()
    {
        await using var server = await ServerProcess.StartAsync();
        using var document = JsonDocument.Parse(await server.Http.GetStringAsync("/openapi/v1.json").WaitAsync(Patience));

        var gets = document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/", StringComparison.Ordinal) && path.Value.TryGetProperty("get", out _))
            .ToList();
        Assert.NotEmpty(gets);
        Assert.All(gets, path =>
        {
            var ok = path.Value.GetProperty("get").GetProperty("responses").TryGetProperty("200", out var response) ? response : default;
            Assert.True(ok.ValueKind == JsonValueKind.Object, $"GET {path.Name} has no 200 response");
            Assert.True(
                ok.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json)
                    && json.TryGetProperty("schema", out var schema) && schema.EnumerateObject().Any(),
                $"GET {path.Name} has no JSON schema for its 200 response");
        });
        // Every read that takes a parameter can refuse it, and says so as a problem (RFC 9457); /api/hosts and /api/probes take none.
        var withParameters = gets.Where(p => p.Value.GetProperty("get").TryGetProperty("parameters", out var parameters) && parameters.GetArrayLength() > 0).ToList();
        Assert.All(withParameters, path =>
            Assert.True(
                path.Value.GetProperty("get").GetProperty("responses").TryGetProperty("400", out var refused)
                    && refused.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _),
                $"GET {path.Name} does not declare its 400 problem"));
        // The reads the UI and operators stand on are among them, so a route that drops out of the document is noticed.
        Assert.Superset(
            new HashSet<string>(["/api/hosts/{name}", "/api/hosts/{name}/top", "/api/hosts/{name}/latest", "/api/hosts/{name}/events", "/api/fleet/top", "/api/fleet/summary", "/api/fleet/series", "/api/series", "/api/compare", "/api/probes", "/api/alerts/deliveries", "/api/rules", "/api/rules/{name}", "/api/alerts", "/api/alerts/history", "/api/silences"], StringComparer.Ordinal),
            gets.Select(p => p.Name).ToHashSet(StringComparer.Ordinal));
    }
}
