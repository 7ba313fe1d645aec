using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Tracefleet.Server.Hosting;
using Tracefleet.Server.Live;

namespace Tracefleet.Server.People;

/// <summary>
/// Who is calling on the web port: an API key (<c>Authorization: Bearer KEY</c>, <c>X-Api-Key: KEY</c>, or on the live hub
/// only, <c>access_token=KEY</c> as SignalR's JavaScript client sends it), else the session cookie the sign-in left. Without
/// either, a page the browser navigates to is sent to sign in (the sign-in page, or the OpenID Connect provider); everything
/// else is answered 401 with a problem body saying how to authenticate. Connections on the ingest listener are not people:
/// agents authenticate with their own tokens there.
/// </summary>
public sealed partial class PeopleAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, IOptions<PeopleAuthOptions> people)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Tracefleet.People";
    public const string CookieScheme = "Tracefleet.Session";
    public const string OpenIdConnectScheme = "Tracefleet.OpenIdConnect";
    public const string ApiKeyHeader = "X-Api-Key";

    private const string KeyRefusedItem = "tracefleet.key-refused";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ListenerSeparation.ListenerOf(Context) == Listener.Ingest)
        {
            return AuthenticateResult.NoResult();
        }

        if (PresentedKey(Request) is { } presented)
        {
            if (ApiKeyMatch.Find(people.Value.ApiKeys, presented) is { } name)
            {
                var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim("amr", "api_key")], "ApiKey");
                return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
            }

            Context.Items[KeyRefusedItem] = true;
            LogKeyRefused(Logger, Request.Method, Request.Path.ToUriComponent(), Context.Connection.RemoteIpAddress?.ToString());
            return AuthenticateResult.Fail("the API key is not valid");
        }

        var session = await Context.AuthenticateAsync(CookieScheme).ConfigureAwait(false);
        return session.Succeeded
            ? AuthenticateResult.Success(new AuthenticationTicket(session.Principal!, session.Properties, SchemeName))
            : AuthenticateResult.NoResult();
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var mode = people.Value.Effective;
        if (IsPageNavigation(Request) && !Context.Items.ContainsKey(KeyRefusedItem))
        {
            var back = Request.PathBase + Request.Path + Request.QueryString;
            if (mode == PeopleAuthMode.OpenIdConnect)
            {
                await Context.ChallengeAsync(OpenIdConnectScheme, new AuthenticationProperties { RedirectUri = back }).ConfigureAwait(false);
                return;
            }

            Response.Redirect(LoginEndpoints.PathTo(back));
            return;
        }

        var refused = Context.Items.ContainsKey(KeyRefusedItem);
        Response.Headers.WWWAuthenticate = refused ? "Bearer realm=\"tracefleet\", error=\"invalid_token\"" : "Bearer realm=\"tracefleet\"";
        var detail = refused
            ? "The API key is not valid: check it against the server's Auth:People:ApiKeys (tracefleet-server key create NAME makes one)."
            : "Send an API key as \"Authorization: Bearer KEY\" or \"X-Api-Key: KEY\", or sign in to the UI at " + LoginEndpoints.Path + ".";
        await Results.Problem(title: "Authentication required", detail: detail, statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(title: "Forbidden", detail: "This identity may not use this server.", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(Context);

    /// <summary>The API key the request presents, or null when it presents none; an empty or repeated one is presented as "" (refused).</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(ApiKeyHeader, out var header))
        {
            return Single(header);
        }

        if (request.Headers.Authorization is { Count: > 0 } authorization)
        {
            var value = Single(authorization);
            return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..].Trim() : null;
        }

        // Browsers cannot set headers on a WebSocket: SignalR's JavaScript client sends the key in the query string, on the hub only.
        return request.Path.StartsWithSegments(LiveHub.Path, StringComparison.Ordinal) && request.Query.TryGetValue("access_token", out var token)
            ? Single(token)
            : null;
    }

    /// <summary>A top-level page load by a browser (not the API, the hub, /metrics, a script or a file the page fetches).</summary>
    private static bool IsPageNavigation(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true)
        && !request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
        && !request.Path.StartsWithSegments("/hubs", StringComparison.Ordinal)
        && !request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal)
        && !request.Path.StartsWithSegments("/openapi", StringComparison.Ordinal);

    private static string Single(StringValues values) => values.Count == 1 ? values[0]?.Trim() ?? "" : "";

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an API key that matches none configured: {Method} {Path} from {Remote}")]
    private static partial void LogKeyRefused(ILogger logger, string method, string path, string? remote);
}
