using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History;
using Tracefleet.Server.Hosting;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.People;

/// <summary>
/// Optional authentication for people on the web port (<see cref="PeopleAuthOptions"/>). When a mode is on, every endpoint
/// of the web port requires it (a fallback policy: an endpoint added later is covered too) except <c>/healthz</c>,
/// <c>/healthz/live</c>, <c>/healthz/ready</c> (for supervisors; they say only whether the server is healthy) and the
/// sign-in endpoints. The ingest listener is left to the agents' own token check.
/// </summary>
public static partial class PeopleAuthExtensions
{
    public static WebApplicationBuilder AddPeopleAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<PeopleAuthOptions>, PeopleAuthOptionsValidator>();
        builder.Services.AddOptions<PeopleAuthOptions>().BindConfiguration(PeopleAuthOptions.Section).ValidateOnStart();
        var options = builder.Configuration.GetSection(PeopleAuthOptions.Section).Get<PeopleAuthOptions>() ?? new PeopleAuthOptions();
        // Both middlewares run in every mode (with no scheme and no policy when people are not asked who they are).
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorization();
        if (options.Effective is not (PeopleAuthMode.ApiKey or PeopleAuthMode.OpenIdConnect))
        {
            return builder;
        }

        var authentication = builder.Services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, PeopleAuthenticationHandler>(PeopleAuthenticationHandler.SchemeName, null)
            .AddCookie(PeopleAuthenticationHandler.CookieScheme, cookie =>
            {
                cookie.Cookie.Name = "tracefleet.session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(options.SessionMinutes);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = LoginEndpoints.Path;
                cookie.Events.OnSigningIn = context =>
                {
                    // Every session gets an id, so that signing out can refuse copies of its cookie.
                    if (context.Principal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == SignedOutSessions.ClaimType))
                    {
                        identity.AddClaim(new Claim(SignedOutSessions.ClaimType, Guid.NewGuid().ToString("N")));
                    }

                    return Task.CompletedTask;
                };
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    if (context.Principal?.FindFirst(SignedOutSessions.ClaimType) is not { } session
                        || context.HttpContext.RequestServices.GetRequiredService<SignedOutSessions>().Contains(session.Value))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(PeopleAuthenticationHandler.CookieScheme).ConfigureAwait(false);
                    }
                };
            });
        builder.Services.AddSingleton<SignedOutSessions>();
        if (options.Effective == PeopleAuthMode.OpenIdConnect)
        {
            authentication.AddOpenIdConnect(PeopleAuthenticationHandler.OpenIdConnectScheme, oidc => ConfigureOpenIdConnect(oidc, options.OpenIdConnect));
        }

        builder.Services.AddSingleton<IAuthorizationHandler, PeopleRequirementHandler>();
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(
            new AuthorizationPolicyBuilder(PeopleAuthenticationHandler.SchemeName).AddRequirements(new PeopleRequirement()).Build());

        // Session cookies are sealed with keys that outlive a restart; the folder is the server's own (owner-only).
        var folder = options.KeyFolder is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(builder.Configuration["Storage:Path"] ?? "data/tracefleet.db")) ?? ".", "keys");
        OwnerOnlyFiles.CreateFolder(folder);

        builder.Services.AddDataProtection().SetApplicationName("tracefleet").PersistKeysToFileSystem(new DirectoryInfo(folder));
        return builder;
    }

    /// <summary>Authentication and authorization on the pipeline, the sign-in endpoints, and the start-up log line saying how people are let in.</summary>
    public static WebApplication UsePeopleAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapLoginEndpoints();
        var options = app.Services.GetRequiredService<IOptions<PeopleAuthOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tracefleet.Server.People");
        var keys = options.ApiKeys.Count(k => !string.IsNullOrWhiteSpace(k.Value));
        foreach (var (name, _) in options.ApiKeys.Where(k => AgentTokens.HoldsPlainText(k.Value)))
        {
            LogPlainKey(logger, name);
        }

        if (options.Effective == PeopleAuthMode.None && !ListenEndpoints.WebIsLoopbackOnly(app.Configuration))
        {
            LogOpenToTheNetwork(logger, string.Join(", ", ListenEndpoints.WebUrls(app.Configuration)));
        }
        else if (options.Effective == PeopleAuthMode.ApiKey && keys == 0)
        {
            LogNoKeys(logger);
        }
        else if (options.Effective is { } mode && mode != PeopleAuthMode.None)
        {
            LogMode(logger, mode.ToString(), keys);
        }

        return app;
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions oidc, OpenIdConnectSettings settings)
    {
        oidc.SignInScheme = PeopleAuthenticationHandler.CookieScheme;
        oidc.Authority = settings.Authority;
        oidc.ClientId = settings.ClientId;
        oidc.ClientSecret = string.IsNullOrWhiteSpace(settings.ClientSecret) ? null : settings.ClientSecret;
        oidc.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        oidc.CallbackPath = settings.CallbackPath;
        // The authorization code flow with PKCE; the code comes back in the query string, a top-level GET, so the
        // correlation and nonce cookies can be SameSite=Lax (form_post would need SameSite=None, which needs https).
        oidc.ResponseType = "code";
        oidc.ResponseMode = "query";
        oidc.UsePkce = true;
        oidc.Scope.Clear();
        foreach (var scope in ("openid " + settings.Scopes).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal))
        {
            oidc.Scope.Add(scope);
        }

        oidc.MapInboundClaims = false;
        oidc.TokenValidationParameters.NameClaimType = "name";
        oidc.SaveTokens = false;
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        oidc.Events.OnRemoteFailure = context =>
        {
            context.HandleResponse();
            return Results.Problem(
                title: "Sign-in failed", detail: "The OpenID Connect sign-in did not complete: " + context.Failure?.Message + " Open the UI again to retry.",
                statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context.HttpContext);
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:People:Mode=None and the web port listens beyond this machine ({Urls}): ANYONE who reaches it can read every host's data, the live feed and /metrics. Set Auth:People:Mode=ApiKey or OpenIdConnect.")]
    private static partial void LogOpenToTheNetwork(ILogger logger, string urls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:People:Mode=ApiKey and no API keys are configured (Auth:People:ApiKeys): every request but /healthz will be refused. Create one with `tracefleet-server key create NAME`.")]
    private static partial void LogNoKeys(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API key {Name} is configured as the key itself (Auth:People:ApiKeys:{Name}): anyone who reads the configuration can use it. Configure its digest instead, as `tracefleet-server key create` prints it (sha256:HEX).")]
    private static partial void LogPlainKey(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "People sign in to the web port with {Mode} ({Keys} API keys configured)")]
    private static partial void LogMode(ILogger logger, string mode, int keys);
}

/// <summary>The fallback policy's one rule: a person authenticated on the web port; the ingest listener passes (agents have their own check).</summary>
public sealed class PeopleRequirement : IAuthorizationRequirement;

public sealed class PeopleRequirementHandler : AuthorizationHandler<PeopleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PeopleRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ingest = context.Resource is HttpContext http && ListenerSeparation.ListenerOf(http) == Listener.Ingest;
        if (ingest || context.User.Identities.Any(i => i.IsAuthenticated))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
