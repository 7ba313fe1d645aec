using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.EndToEnd.Live;
using Tracefleet.EndToEnd.Operations;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Security;

/// <summary>
/// Authentication for people with API keys (Auth:People:Mode=ApiKey), on every surface of the web port: the UI's pages and
/// files, the HTTP API, the OpenAPI document, /metrics (scraped by a real Prometheus) and the live hub (negotiate and connect).
/// Without credentials each is refused (a page the browser navigates to is sent to the sign-in page), with a key each
/// answers, and the sign-in page leaves a session cookie that opens all of them. Health and the agents' ingest port are not
/// people's: they answer as before.
/// </summary>
public sealed class PeopleAuthTests(PeopleAuthFixture fixture) : IClassFixture<PeopleAuthFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<string, string, string> Surfaces { get; } = new()
    {
        { "GET", "/api/hosts", "application/json" },
        { "GET", "/api/fleet/summary", "application/json" },
        { "GET", "/api/alerts/deliveries", "application/json" },
        { "GET", "/api/rules", "application/json" },
        { "GET", "/api/alerts", "application/json" },
        { "GET", "/api/silences", "application/json" },
        { "GET", "/openapi/v1.json", "application/json" },
        { "GET", "/metrics", "text/plain" },
        { "POST", "/hubs/live/negotiate?negotiateVersion=1", "application/json" },
        { "GET", "/_framework/blazor.webassembly.js", "text/javascript" },
        { "GET", "/", "text/html" },
    };

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task Surface_WithoutCredentials_401ProblemSayingHowToAuthenticate(string method, string path, string contentType)
    {
        using var http = fixture.Server.WebClient();
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)).WaitAsync(Patience);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer realm=\"tracefleet\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("Send an API key as", JsonSerializer.Deserialize<ProblemDto>(body, ServerProcess.Json)!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("tracefleet_", body, StringComparison.Ordinal);
        Assert.NotEqual(contentType, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task Surface_WithWrongKey_401InvalidToken(string method, string path, string contentType)
    {
        using var http = fixture.Server.WebClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Api-Key", fixture.Key + "x");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await http.SendAsync(request).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(contentType, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task Surface_WithKeyInEitherHeader_Answered(string method, string path, string contentType)
    {
        using var http = fixture.Server.WebClient();
        foreach (var header in new[] { "X-Api-Key", "Authorization" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (header == "Authorization")
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
            }
            else
            {
                request.Headers.Add(header, fixture.Key);
            }

            using var response = await http.SendAsync(request).WaitAsync(Patience);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path} with {header}: {(int)response.StatusCode}");
            Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task PageNavigation_WithoutCredentials_SentToTheSignInPageThatComesBack()
    {
        using var http = fixture.Server.WebClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/host?host=web-01&probe=kmem");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await http.SendAsync(request).WaitAsync(Patience);
        using var page = await http.GetAsync(response.Headers.Location).WaitAsync(Patience);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fhost%3Fhost%3Dweb-01%26probe%3Dkmem", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<input type=\"password\" id=\"key\" name=\"key\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"/host?host=web-01&amp;probe=kmem\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_RightKey_SessionCookieOpensApiUiAndHubUntilSignedOut()
    {
        var cookies = new CookieContainer();
        using var http = fixture.Server.WebClient(cookies);

        using var wrong = await SignInAsync(http, fixture.Key + "x", "/compare");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("That key is not valid.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(cookies.GetCookies(fixture.Server.WebUrl));

        using var right = await SignInAsync(http, fixture.Key, "/compare?host=a&host=b");
        Assert.Equal(HttpStatusCode.Found, right.StatusCode);
        Assert.Equal("/compare?host=a&host=b", right.Headers.Location?.OriginalString);
        var session = Assert.Single(cookies.GetCookies(fixture.Server.WebUrl), c => c.Name == "tracefleet.session");
        Assert.True(session.HttpOnly);
        Assert.Contains("samesite=lax", right.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);

        using (var api = await http.GetAsync("/api/hosts").WaitAsync(Patience))
        {
            Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        }

        using (var ui = await http.GetAsync("/").WaitAsync(Patience))
        {
            Assert.Equal("text/html", ui.Content.Headers.ContentType?.MediaType);
        }

        await using (var hub = Hub(o => o.Cookies = cookies))
        {
            await hub.StartAsync().WaitAsync(Patience);
            Assert.Equal(HubConnectionState.Connected, hub.State);
        }

        using var signOut = await http.PostAsync("/logout", null).WaitAsync(Patience);
        using var after = await http.GetAsync("/api/hosts").WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.Found, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task SignOut_CopyOfTheSessionCookieReplayed_Refused()
    {
        var cookies = new CookieContainer();
        using var http = await SignedInAsync(cookies);
        var copy = Assert.Single(cookies.GetCookies(fixture.Server.WebUrl), c => c.Name == "tracefleet.session");
        using (var before = await http.GetAsync("/api/hosts").WaitAsync(Patience))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var signOut = await http.PostAsync("/logout", null).WaitAsync(Patience);
        var replayed = new CookieContainer();
        replayed.Add(fixture.Server.WebUrl, new Cookie(copy.Name, copy.Value));
        using var replay = fixture.Server.WebClient(replayed);
        using var after = await replay.GetAsync("/api/hosts").WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.Found, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task SignOut_PostedFromAnotherSite_RefusedSessionKept()
    {
        var cookies = new CookieContainer();
        using var http = await SignedInAsync(cookies);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/logout");
        request.Headers.Add("Origin", "https://elsewhere.example");

        using var response = await http.SendAsync(request).WaitAsync(Patience);
        using var after = await http.GetAsync("/api/hosts").WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>A client signed in with the fixture's key through the sign-in form, its session cookie in <paramref name="cookies"/>.</summary>
    private async Task<HttpClient> SignedInAsync(CookieContainer cookies)
    {
        var http = fixture.Server.WebClient(cookies);
        using var signIn = await SignInAsync(http, fixture.Key, "/");
        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        return http;
    }

    [Theory]
    [InlineData("https://elsewhere.example/")]
    [InlineData("//elsewhere.example/")]
    [InlineData("/\\elsewhere.example/")]
    public async Task SignIn_ReturnUrlOffThisServer_BackToTheFleetPageInstead(string returnUrl)
    {
        using var http = fixture.Server.WebClient(new CookieContainer());
        using var response = await SignInAsync(http, fixture.Key, returnUrl);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignIn_FormPostedFromAnotherSite_Refused()
    {
        using var http = fixture.Server.WebClient(new CookieContainer());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = fixture.Key, ["returnUrl"] = "/" }),
        };
        request.Headers.Add("Origin", "https://elsewhere.example");
        using var response = await http.SendAsync(request).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Hub_WithoutKey_StartRefused401()
    {
        await using var hub = Hub(_ => { });

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync().WaitAsync(Patience));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("X-Api-Key")]
    [InlineData("Bearer")]
    public async Task Hub_WithKey_ConnectsAndReceivesTheFleetEvent(string how)
    {
        var fleet = new ConcurrentQueue<JsonElement>();
        await using var hub = Hub(o =>
        {
            if (how == "Bearer")
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(fixture.Key);
            }
            else
            {
                o.Headers["X-Api-Key"] = fixture.Key;
            }
        });
        hub.On<JsonElement>("fleet", f => fleet.Enqueue(f));

        await hub.StartAsync().WaitAsync(Patience);
        await hub.InvokeAsync("JoinFleet").WaitAsync(Patience);

        await LiveListener.WaitUntilAsync(() => !fleet.IsEmpty, Patience, "a fleet event over the authenticated connection");
    }

    [Fact]
    public async Task HubNegotiate_KeyInAccessTokenQuery_AnsweredOnTheHubOnly()
    {
        using var http = fixture.Server.WebClient();
        var query = "access_token=" + Uri.EscapeDataString(fixture.Key);

        using var hub = await http.PostAsync("/hubs/live/negotiate?negotiateVersion=1&" + query, null).WaitAsync(Patience);
        using var api = await http.GetAsync("/api/hosts?" + query).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, hub.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    public async Task Health_WithoutCredentials_Answered(string path)
    {
        using var http = fixture.Server.WebClient();
        using var response = await http.GetAsync(path).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task IngestPort_AgentWithoutPersonKey_StoredAndReadWithKey()
    {
        var host = $"people-{Guid.NewGuid():N}";
        await using var agent = await WireAgent.ConnectAsync(fixture.Server.IngestUrl, host, epoch: 1, ["kmem"]).WaitAsync(Patience);
        Assert.Equal(WireAgent.AnswerKind.Stored, (await agent.SendOneAsync(1, "kmem", "dentry", [7, 2], Patience)).Kind);

        using var http = fixture.Server.WebClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", fixture.Key);
        var rows = JsonSerializer.Deserialize<List<KmemRowDto>>(await http.GetStringAsync($"/api/hosts/{host}/top?probe=kmem").WaitAsync(Patience), ServerProcess.Json)!;
        Assert.Equal(("dentry", 7L, 2L), Assert.Single(rows) is var r ? (r.Key, r.Allocs, r.Frees) : default);
    }

    [Fact]
    public async Task Prometheus_ScrapeConfigWithBearerKey_UpAndWithoutKey_Down()
    {
        await using var prometheus = PrometheusServer.Start(fixture.Server.WebUrl, bearerKey: fixture.Key);

        var up = await Poll.UntilAsync(() => prometheus.QueryAsync("up"), s => s.Count == 2, Patience + Patience).WaitAsync(Patience + Patience + Patience);

        Assert.True(up.Count == 2, $"scrapes: {up.Count}\n{prometheus.Output}");
        Assert.Equal(1, up.Single(s => s.Labels["job"] == "tracefleet").Value);
        Assert.Equal(0, up.Single(s => s.Labels["job"] == "tracefleet-without-key").Value);
        var stored = await Poll.UntilAsync(
            () => prometheus.QueryAsync("tracefleet_snapshots_stored_total"), s => s.Count == 1, Patience).WaitAsync(Patience + Patience);
        Assert.Equal("tracefleet", Assert.Single(stored).Labels["job"]);
    }

    [Fact]
    public async Task Start_WebPortBeyondLoopbackWithoutMode_RefusesSayingWhatToSet()
    {
        var port = LoopbackPort.Next();

        // Refused before any listener is bound: nothing is served, even for a moment.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["urls"] = $"http://0.0.0.0:{port}",
        }));

        Assert.Contains("Auth:People:Mode is not set: set it to ApiKey or OpenIdConnect", refused.Message, StringComparison.Ordinal);
        Assert.False(LoopbackPort.Accepts(port));
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient http, string key, string returnUrl) =>
        http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = returnUrl })).WaitAsync(Patience);

    private HubConnection Hub(Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions> configure) =>
        new HubConnectionBuilder().WithUrl(new Uri(fixture.Server.WebUrl, "hubs/live"), configure).Build();
}
