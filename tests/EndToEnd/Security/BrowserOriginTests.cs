using System.Net;
using System.Net.WebSockets;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Security;

/// <summary>
/// What a web page on another site can do with a browser's help: open the hub (refused by its <c>Origin</c>, 403), or
/// reach the server on loopback by DNS rebinding (refused by its <c>Host</c>, 400). Programs, which send no Origin, and
/// the server's own pages are let in; so is an origin listed in <c>Live:AllowedOrigins</c>.
/// </summary>
public sealed class BrowserOriginTests : IAsyncLifetime
{
    private const string ListedOrigin = "https://grafana.example.com";
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Live:AllowedOrigins"] = ListedOrigin });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string OwnOrigin => $"http://{_server.WebUrl.Authority}";

    [Fact]
    public async Task Negotiate_ForeignOrigin_Refused403_NoOriginOwnAndListedOriginsAccepted()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("null"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync($"http://127.0.0.1:{_server.IngestUrl.Port}"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(null));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(OwnOrigin));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(ListedOrigin));
    }

    [Fact]
    public async Task WebSocket_ForeignOrigin_Refused403_NoOriginAndOwnOriginConnect()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await OpenWebSocketAsync("http://evil.example"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenWebSocketAsync(null));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenWebSocketAsync(OwnOrigin));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/hosts")]
    [InlineData("/hubs/live/negotiate?negotiateVersion=1")]
    [InlineData("/metrics")]
    public async Task Request_HostHeaderOfAnotherName_Refused400_LoopbackNamesAccepted(string path)
    {
        var port = _server.WebUrl.Port;
        var method = path.StartsWith("/hubs", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;

        var rebound = await SendAsync(method, path, $"evil.example:{port}");
        Assert.Equal(HttpStatusCode.BadRequest, rebound.Status);
        Assert.Contains("AllowedHosts", rebound.Body, StringComparison.Ordinal);
        foreach (var name in new[] { "127.0.0.1", "localhost", "[::1]" })
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(method, path, $"{name}:{port}")).Status);
        }
    }

    [Fact]
    public async Task Request_AllowedHostsSet_ThatListAppliesInstead()
    {
        await using var proxied = await ServerProcess.StartAsync(new Dictionary<string, string> { ["AllowedHosts"] = "tracefleet.example.com;127.0.0.1" });
        var port = proxied.WebUrl.Port;

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/hosts", "tracefleet.example.com", proxied)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/api/hosts", $"evil.example:{port}", proxied)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/api/hosts", $"localhost:{port}", proxied)).Status);
    }

    private async Task<HttpStatusCode> NegotiateAsync(string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await _server.Http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> OpenWebSocketAsync(string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{_server.WebUrl.Authority}/hubs/live"), timeout.Token);
            socket.Abort();
        }
        catch (WebSocketException)
        {
            // Refused at the handshake: the status says how.
        }

        return socket.HttpStatusCode;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string host, ServerProcess? server = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        using var response = await (server ?? _server).Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
