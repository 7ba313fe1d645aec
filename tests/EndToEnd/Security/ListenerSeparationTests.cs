using System.Net;
using System.Text.Json;
using Grpc.Core;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Security;

/// <summary>
/// Each endpoint answers on its own listener only: the ingest port serves the agents' gRPC stream and nothing else (an
/// operator who opens it to the fleet publishes no host's data), and the web port takes no agent streams.
/// </summary>
public sealed class ListenerSeparationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("/api/hosts")]
    [InlineData("/api/fleet/top?probe=kmem&limit=0")]
    [InlineData("/metrics")]
    [InlineData("/")]
    [InlineData("/host?host=web-01")]
    [InlineData("/_framework/blazor.webassembly.js")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/healthz")]
    [InlineData("/healthz/ready")]
    [InlineData("/tracefleet.v1.Ingest/x.css")]
    [InlineData("/tracefleet.v1.Ingest/Connect")]
    [InlineData("/tracefleet.v1.Ingest/..%2fapi%2fhosts")]
    public async Task IngestPort_WebEndpoint_NotFoundNamingTheWebPort(string path)
    {
        using var http2 = IngestClient();

        using var response = await http2.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<ProblemDto>(body, ServerProcess.Json)!;
        Assert.Contains("The UI, the HTTP API, /metrics and /healthz are on the web port", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("tracefleet_", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/hosts")]
    [InlineData("/tracefleet.v1.Ingest/Connect")]
    public async Task IngestPort_Head_NotFoundWithoutBody(string path)
    {
        using var http2 = IngestClient();
        // A body on a HEAD answer made HTTP/2 reset the stream (PROTOCOL_ERROR) instead of answering.
        using var head = new HttpRequestMessage(HttpMethod.Head, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http2.SendAsync(head);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task WebPort_IngestServicePath_NotFoundNamingTheIngestPort()
    {
        using var response = await fixture.Server.Http.PostAsync("/tracefleet.v1.Ingest/Connect", new ByteArrayContent([0, 0, 0, 0, 0]));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Agents connect to the ingest port (Ingest:Url)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebPort_GrpcAgent_RefusedIngestPort_Welcomed()
    {
        var host = $"ports-{Guid.NewGuid():N}";

        // The web listener speaks HTTP/1.1 only, and refuses the ingest service's path whatever the protocol.
        await Assert.ThrowsAsync<RpcException>(() => WireAgent.ConnectAsync(fixture.Server.WebUrl, host, epoch: 1, ["kmem"]).WaitAsync(Patience));
        await using var agent = await WireAgent.ConnectAsync(fixture.Server.IngestUrl, host, epoch: 1, ["kmem"]).WaitAsync(Patience);

        Assert.Equal(WireAgent.AnswerKind.Stored, (await agent.SendOneAsync(1, "kmem", "dentry", [3, 1], Patience)).Kind);
    }

    /// <summary>The ingest listener speaks HTTP/2 only, without TLS: prior knowledge, as gRPC clients do.</summary>
    private HttpClient IngestClient() => new()
    {
        BaseAddress = fixture.Server.IngestUrl,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = Patience,
    };
}
