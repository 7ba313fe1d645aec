using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.EndToEnd.Live;

namespace Tracefleet.EndToEnd.Security;

/// <summary>
/// Auth:People:Mode=OpenIdConnect against a real OpenID Connect provider on loopback (tests/IdentityProvider, OpenIddict):
/// a page load goes to the provider (code flow with PKCE), signing in there comes back through /signin-oidc with a session
/// cookie that opens the API, the UI and the live hub; a wrong password or a forged callback leaves no session; API keys
/// still work for scripts.
/// </summary>
public sealed class OpenIdConnectTests(OpenIdConnectTests.Fixture fixture) : IClassFixture<OpenIdConnectTests.Fixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PageNavigation_WithoutSession_SentToTheProviderWithPkce()
    {
        using var http = fixture.Server.WebClient(new CookieContainer());
        using var response = await NavigateAsync(http, "/compare?host=a&host=b");
        var location = response.Headers.Location!;
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(new Uri(fixture.Provider.Authority, "connect/authorize"), new Uri(location.GetLeftPart(UriPartial.Path)));
        Assert.Equal("tracefleet", query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(new Uri(fixture.Server.WebUrl, "signin-oidc").ToString(), query["redirect_uri"]);
        Assert.Contains("openid", query["scope"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInAtProvider_CodeFlow_SessionCookieOpensApiUiAndHub()
    {
        var cookies = new CookieContainer();
        using var http = fixture.Server.WebClient(cookies);

        var back = await SignInAsync(http, "/compare?host=a&host=b", fixture.Provider.Password);

        Assert.Equal("/compare?host=a&host=b", back);
        Assert.Contains(cookies.GetCookies(fixture.Server.WebUrl), c => c.Name == "tracefleet.session" && c.HttpOnly);
        using (var api = await http.GetAsync("/api/hosts").WaitAsync(Patience))
        {
            Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        }

        using (var page = await NavigateAsync(http, back!))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }

        var fleet = new ConcurrentQueue<JsonElement>();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(fixture.Server.WebUrl, "hubs/live"), o => o.Cookies = cookies).Build();
        hub.On<JsonElement>("fleet", f => fleet.Enqueue(f));
        await hub.StartAsync().WaitAsync(Patience);
        await hub.InvokeAsync("JoinFleet").WaitAsync(Patience);
        await LiveListener.WaitUntilAsync(() => !fleet.IsEmpty, Patience, "a fleet event over the signed-in connection");
    }

    [Fact]
    public async Task SignInAtProvider_WrongPassword_NoSessionApiStillRefused()
    {
        var cookies = new CookieContainer();
        using var http = fixture.Server.WebClient(cookies);

        var back = await SignInAsync(http, "/", fixture.Provider.Password + "x");
        using var api = await http.GetAsync("/api/hosts").WaitAsync(Patience);

        Assert.Null(back);
        Assert.DoesNotContain(cookies.GetCookies(fixture.Server.WebUrl), c => c.Name == "tracefleet.session");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Callback_ForgedCodeAndState_401ProblemNoSession()
    {
        var cookies = new CookieContainer();
        using var http = fixture.Server.WebClient(cookies);

        using var response = await http.GetAsync("/signin-oidc?code=forged&state=forged").WaitAsync(Patience);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The OpenID Connect sign-in did not complete", body, StringComparison.Ordinal);
        Assert.DoesNotContain(cookies.GetCookies(fixture.Server.WebUrl), c => c.Name == "tracefleet.session");
    }

    [Fact]
    public async Task Api_WithoutSession401_WithApiKeyAnswered()
    {
        using var http = fixture.Server.WebClient();
        using var without = await http.GetAsync("/metrics").WaitAsync(Patience);
        http.DefaultRequestHeaders.Add("X-Api-Key", fixture.Key);
        using var with = await http.GetAsync("/metrics").WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    /// <summary>Opens <paramref name="path"/> as a browser would and signs in at the provider; where the server sent the browser back, or null when the provider refused.</summary>
    private async Task<string?> SignInAsync(HttpClient http, string path, string password)
    {
        using var toProvider = await NavigateAsync(http, path);
        using var form = await http.GetAsync(toProvider.Headers.Location).WaitAsync(Patience);
        var fields = TestIdentityProvider.FormFields(await form.Content.ReadAsStringAsync());
        fields["username"] = fixture.Provider.User;
        fields["password"] = password;
        using var signedIn = await http.PostAsync(new Uri(fixture.Provider.Authority, "connect/authorize"), new FormUrlEncodedContent(fields)).WaitAsync(Patience);
        if (signedIn.StatusCode != HttpStatusCode.Found)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, signedIn.StatusCode);
            Assert.Contains("Wrong user name or password.", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            return null;
        }

        Assert.StartsWith(new Uri(fixture.Server.WebUrl, "signin-oidc?").ToString(), signedIn.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var callback = await http.GetAsync(signedIn.Headers.Location).WaitAsync(Patience);
        Assert.True(callback.StatusCode == HttpStatusCode.Found, $"callback: {(int)callback.StatusCode} {await callback.Content.ReadAsStringAsync()}\n{fixture.Server.Output}");
        return callback.Headers.Location!.OriginalString;
    }

    private static Task<HttpResponseMessage> NavigateAsync(HttpClient http, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        return http.SendAsync(request).WaitAsync(Patience);
    }

    /// <summary>The provider and a server that is its client, with an API key for scripts as well.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public TestIdentityProvider Provider { get; } = new();

        public string Key { get; } = Guid.NewGuid().ToString("N");

        public ServerProcess Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await ServerProcess.StartAsync(new Dictionary<string, string>(Provider.ServerSettings)
            {
                ["Auth:People:ApiKeys:scripts"] = PeopleAuthFixture.Digest(Key),
            });
            await Provider.StartAsync(Server.WebUrl);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            await Provider.DisposeAsync();
        }
    }
}
