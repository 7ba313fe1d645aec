using System.Text.Json;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>Liveness and readiness as an orchestrator probes them, on the real server.</summary>
public sealed class HealthEndpointsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Live_RunningServer_HealthyWithoutChecks()
    {
        using var response = await fixture.Server.Http.GetAsync("/healthz/live").WaitAsync(Patience);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_RunningServer_StorageAndIngestHealthyAsJson()
    {
        using var response = await fixture.Server.Http.GetAsync("/healthz/ready").WaitAsync(Patience);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == 200, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("Healthy", checks["storage"]);
        Assert.Equal("Healthy", checks["ingest"]);
    }

    [Fact]
    public async Task Healthz_StillAnswers_Healthy()
    {
        using var response = await fixture.Server.Http.GetAsync("/healthz").WaitAsync(Patience);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
