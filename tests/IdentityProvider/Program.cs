using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

// A real OpenID Connect provider on loopback for the tests: authorization code flow with PKCE, one confidential client
// and one user, given on the command line:
//   tracefleet-test-idp --urls http://127.0.0.1:PORT --Client:Id=… --Client:Secret=… --Client:RedirectUri=… --User:Name=… --User:Password=…
// The sign-in page is a form posted back to the authorization endpoint with the request's own parameters.
var builder = WebApplication.CreateBuilder(args);
var client = builder.Configuration.GetSection("Client");
var user = builder.Configuration.GetSection("User");
builder.Services.AddOpenIddict().AddServer(server =>
{
    server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
    server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
    server.RegisterScopes(Scopes.OpenId, Scopes.Profile);
    server.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
    // No database: the client is checked by the handlers below, codes are self-contained.
    server.EnableDegradedMode().DisableTokenStorage();
    server.UseAspNetCore().DisableTransportSecurityRequirement();

    server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
    {
        if (context.ClientId != client["Id"])
        {
            context.Reject(Errors.InvalidClient, "unknown client_id");
        }
        else if (context.RedirectUri != client["RedirectUri"])
        {
            context.Reject(Errors.InvalidRequest, "redirect_uri is not the client's");
        }

        return default;
    }));

    server.AddEventHandler<HandleAuthorizationRequestContext>(handler => handler.UseInlineHandler(async context =>
    {
        var http = context.Transaction.GetHttpRequest()!.HttpContext;
        var name = (string?)context.Request["username"];
        var password = (string?)context.Request["password"];
        if (name is null || name != user["Name"] || password != user["Password"])
        {
            await SignInPageAsync(http, context.Request, name is null ? null : "Wrong user name or password.");
            context.HandleRequest();
            return;
        }

        var identity = new ClaimsIdentity("test-idp", Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, "user-" + name));
        identity.AddClaim(new Claim(Claims.Name, name));
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(context.Request.GetScopes());
        principal.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        context.SignIn(principal);
    }));

    server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
    {
        if (context.ClientId != client["Id"] || context.Request.ClientSecret != client["Secret"])
        {
            context.Reject(Errors.InvalidClient, "unknown client or wrong secret");
        }

        return default;
    }));
});

var app = builder.Build();
await app.RunAsync();

static Task SignInPageAsync(HttpContext http, OpenIddictRequest request, string? problem)
{
    http.Response.ContentType = "text/html; charset=utf-8";
    http.Response.StatusCode = problem is null ? 200 : 401;
    var hidden = string.Concat(request.GetParameters()
        .Where(p => p.Key is not ("username" or "password"))
        .Select(p => $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(p.Key)}\" value=\"{WebUtility.HtmlEncode((string?)p.Value)}\" />"));
    return http.Response.WriteAsync($"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8" /><title>Test provider sign-in</title></head>
        <body>
        <h1>Test provider</h1>
        {(problem is null ? "" : $"<p role=\"alert\">{problem}</p>")}
        <form method="post" action="/connect/authorize">
        {hidden}
        <label for="username">User</label> <input id="username" name="username" />
        <label for="password">Password</label> <input id="password" name="password" type="password" />
        <button type="submit">Sign in</button>
        </form>
        </body></html>
        """);
}
