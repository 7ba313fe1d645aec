using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Hosting;

namespace Tracefleet.Server.People;

/// <summary>
/// <c>/login</c> and <c>/logout</c> for the UI. With API keys, the sign-in page asks for a key and leaves a session cookie
/// (HttpOnly, SameSite=Lax) that the UI's API calls and live hub carry; with OpenID Connect, <c>/login</c> goes to the
/// provider. The page is plain HTML from the server: the UI's own files are served only to people signed in.
/// </summary>
public static class LoginEndpoints
{
    public const string Path = "/login";
    public const string LogoutPath = "/logout";

    /// <summary>The sign-in page's URL that comes back to <paramref name="back"/> (a path on this server) afterwards.</summary>
    public static string PathTo(string back) => back is "" or "/" ? Path : Path + "?returnUrl=" + Uri.EscapeDataString(back);

    public static WebApplication MapLoginEndpoints(this WebApplication app)
    {
        app.MapGet(Path, ShowAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(Path, SignInAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(LogoutPath, SignOutAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task ShowAsync(HttpContext context, IOptions<PeopleAuthOptions> people)
    {
        var back = LocalOnly(context.Request.Query["returnUrl"]);
        switch (people.Value.Effective)
        {
            case PeopleAuthMode.OpenIdConnect:
                await context.ChallengeAsync(PeopleAuthenticationHandler.OpenIdConnectScheme, new AuthenticationProperties { RedirectUri = back }).ConfigureAwait(false);
                break;
            case PeopleAuthMode.ApiKey:
                await PageAsync(context, back, problem: null).ConfigureAwait(false);
                break;
            default:
                context.Response.Redirect(back);
                break;
        }
    }

    private static async Task SignInAsync(HttpContext context, IOptions<PeopleAuthOptions> people)
    {
        // A form posted from another site would sign this browser in under someone else's key.
        if (FromAnotherSite(context))
        {
            await Results.Problem(title: "Forbidden", detail: "Sign in from this server's own page.", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (people.Value.Effective != PeopleAuthMode.ApiKey || !context.Request.HasFormContentType)
        {
            await Results.Problem(title: "Bad request", detail: "Sign in with the form at " + Path + ".", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var back = LocalOnly(form["returnUrl"]);
        if (ApiKeyMatch.Find(people.Value.ApiKeys, form["key"].ToString().Trim()) is not { } name)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await PageAsync(context, back, "That key is not valid.").ConfigureAwait(false);
            return;
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim("amr", "api_key")], "ApiKey");
        await context.SignInAsync(PeopleAuthenticationHandler.CookieScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        context.Response.Redirect(back);
    }

    private static async Task SignOutAsync(HttpContext context, IOptions<PeopleAuthOptions> people, TimeProvider time)
    {
        // Another site's page must not end this browser's session either.
        if (FromAnotherSite(context))
        {
            await Results.Problem(title: "Forbidden", detail: "Sign out from this server's own page.", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (people.Value.Effective is PeopleAuthMode.ApiKey or PeopleAuthMode.OpenIdConnect)
        {
            var session = await context.AuthenticateAsync(PeopleAuthenticationHandler.CookieScheme).ConfigureAwait(false);
            if (session.Principal?.FindFirst(SignedOutSessions.ClaimType) is { } id)
            {
                var until = session.Properties?.ExpiresUtc ?? time.GetUtcNow().AddMinutes(people.Value.SessionMinutes);
                context.RequestServices.GetRequiredService<SignedOutSessions>().Add(id.Value, until);
            }

            await context.SignOutAsync(PeopleAuthenticationHandler.CookieScheme).ConfigureAwait(false);
        }

        context.Response.Redirect(Path);
    }

    /// <summary>True when a browser says the request comes from a page of another origin than this server.</summary>
    private static bool FromAnotherSite(HttpContext context) =>
        context.Request.Headers.Origin is { Count: 1 } origin && !OwnOrigin.Is(context.Request, origin[0]!);

    /// <summary>A path on this server to come back to; anything else (another site, <c>//host</c>, <c>/\host</c>) is the fleet page.</summary>
    public static string LocalOnly(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl) ? url : "/";

    private static Task PageAsync(HttpContext context, string back, string? problem)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var message = problem is null ? "" : $"<p class=\"problem\" role=\"alert\">{WebUtility.HtmlEncode(problem)}</p>";
        return context.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <title>Sign in · Tracefleet</title>
            <style>
            body { font-family: system-ui, sans-serif; background: #f5f6f8; display: flex; justify-content: center; padding-top: 12vh; }
            form { background: #fff; padding: 2rem; border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.15); width: 22rem; }
            h1 { font-size: 1.3rem; margin-top: 0; } label { display: block; margin-bottom: .4rem; }
            input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; font-family: monospace; }
            button { margin-top: 1rem; padding: .5rem 1.2rem; } .problem { color: #b00020; }
            :root { color-scheme: light dark; }
            @media (prefers-color-scheme: dark) {
            body { background: #12161d; color: #e3e8f0; } form { background: #1b212b; } .problem { color: #ff8f8f; }
            }
            </style>
            </head>
            <body>
            <form method="post" action="{{Path}}">
            <h1>Tracefleet</h1>
            {{message}}
            <label for="key">API key</label>
            <input type="password" id="key" name="key" autocomplete="current-password" required autofocus />
            <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(back)}}" />
            <button type="submit">Sign in</button>
            </form>
            </body>
            </html>
            """, context.RequestAborted);
    }
}
