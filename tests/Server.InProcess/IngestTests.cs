using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Tracefleet.Server.InProcess.Infrastructure;

namespace Tracefleet.Server.InProcess;

/// <summary>An agent's stream through the server's whole pipeline (authentication, listener separation, gRPC, writer, API) in memory.</summary>
public sealed class IngestTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static ulong NewEpoch() => (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    [Fact]
    public async Task Connect_HelloWithItsHostsToken_WelcomedWithTheKeyLimitAndHostListed()
    {
        using var channel = server.Ingest();
        using var agent = new InProcessAgent(channel, InProcessServer.TokenOf("db-01"));

        var answer = await agent.HelloAsync(InProcessAgent.Hello("DB-01", NewEpoch(), "pagefaults", "kmem"));

        Assert.Equal(1000u, answer.Welcome?.MaxKeysPerSnapshot);
        using var web = server.Web();
        var host = await web.GetFromJsonAsync<JsonElement>("/api/hosts/db-01").WaitAsync(InProcessAgent.Patience);
        Assert.Equal(("db-01", "bpftrace"), (host.GetProperty("name").GetString(), host.GetProperty("backend").GetString()));
    }

    [Fact]
    public async Task Connect_SnapshotSent_AckedOnceStoredAndServedAsTheLatest()
    {
        using var channel = server.Ingest();
        using var agent = new InProcessAgent(channel, InProcessServer.TokenOf("web-01"));
        Assert.NotNull((await agent.HelloAsync(InProcessAgent.Hello("web-01", NewEpoch(), "pagefaults"))).Welcome);

        await agent.SendAsync(InProcessAgent.PageFaults(1, 2, ("libc.so.6", 40), ("ld.so", 2)));
        var (stored, rejected) = await agent.AnswersAsync(1);

        Assert.Equal([1ul], stored);
        Assert.Empty(rejected);
        using var web = server.Web();
        var latest = await web.GetFromJsonAsync<JsonElement>("/api/hosts/web-01/latest?probe=pagefaults").WaitAsync(InProcessAgent.Patience);
        Assert.Equal(1, latest.GetProperty("sequence").GetInt64());
        Assert.Equal(
            [("libc.so.6", 40ul), ("ld.so", 2ul)],
            latest.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("key").GetString(), r.GetProperty("faults").GetUInt64())));
    }

    [Fact]
    public async Task Connect_SnapshotOutOfRangeThenAGoodOne_FirstRefusedAloneSecondStored()
    {
        using var channel = server.Ingest();
        using var agent = new InProcessAgent(channel, InProcessServer.TokenOf("web-02"));
        Assert.NotNull((await agent.HelloAsync(InProcessAgent.Hello("web-02", NewEpoch(), "pagefaults"))).Welcome);
        var bad = InProcessAgent.PageFaults(1, 3, ("libc.so.6", 7));
        bad.DurationMs = 1U << 31;

        await agent.SendAsync(bad);
        await agent.SendAsync(InProcessAgent.PageFaults(2, 2, ("libc.so.6", 5)));
        var (stored, rejected) = await agent.AnswersAsync(1, 2);

        Assert.Equal([2ul], stored);
        Assert.Equal([1ul], rejected.Keys);
        Assert.Contains("duration_ms 2147483648 is outside 1 to 86400000", rejected[1], StringComparison.Ordinal);
        using var web = server.Web();
        var top = await web.GetFromJsonAsync<JsonElement>("/api/hosts/web-02/top?probe=pagefaults").WaitAsync(InProcessAgent.Patience);
        Assert.Equal(5ul, top.EnumerateArray().Single().GetProperty("faults").GetUInt64());
    }

    [Theory]
    [InlineData(null, "no agent token")]
    [InlineData("guessed", "the token is not valid for this host")]
    public async Task Connect_NoOrUnknownToken_UnauthenticatedAtTheHeaders(string? token, string message)
    {
        using var channel = server.Ingest();
        using var agent = new InProcessAgent(channel, token);

        // Nothing of the body is sent: the headers alone are refused.
        var refused = await Assert.ThrowsAsync<RpcException>(agent.NextAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.StartsWith(message, refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_AnotherHostsToken_PermissionDeniedAndHostNotListed()
    {
        using var channel = server.Ingest();
        using var agent = new InProcessAgent(channel, InProcessServer.TokenOf("web-01"));

        var refused = await Assert.ThrowsAsync<RpcException>(() => agent.HelloAsync(InProcessAgent.Hello("web-99", NewEpoch(), "pagefaults")));

        Assert.Equal((StatusCode.PermissionDenied, "the token is not valid for this host"), (refused.StatusCode, refused.Status.Detail));
        using var web = server.Web();
        using var response = await web.GetAsync("/api/hosts/web-99").WaitAsync(InProcessAgent.Patience);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_IngestPathOnTheWebListener_NotFoundNamingTheIngestPort()
    {
        using var web = server.Web();

        using var response = await web.PostAsync("/tracefleet.v1.Ingest/Connect", new ByteArrayContent([0, 0, 0, 0, 0])).WaitAsync(InProcessAgent.Patience);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Agents connect to the ingest port (Ingest:Url)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ApiOnTheIngestListener_NotFoundNamingTheWebPort()
    {
        using var ingest = server.IngestHttp();

        using var response = await ingest.GetAsync("/api/hosts").WaitAsync(InProcessAgent.Patience);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("The UI, the HTTP API, /metrics and /healthz are on the web port", body, StringComparison.Ordinal);
    }
}
