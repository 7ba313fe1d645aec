namespace Tracefleet.Server.People;

/// <summary>How people (browsers, scripts, Prometheus) are let in to the web port's UI, HTTP API, live hub and /metrics.</summary>
public enum PeopleAuthMode
{
    /// <summary>Everyone who reaches the web port is let in.</summary>
    None,

    /// <summary>An API key in each request (scripts, Prometheus), or a session cookie from the UI's sign-in page, which asks for a key.</summary>
    ApiKey,

    /// <summary>The UI signs people in at an OpenID Connect provider (a session cookie after it); API keys work as well, for scripts and Prometheus.</summary>
    OpenIdConnect,
}

/// <summary>Configuration section <c>Auth:People</c>.</summary>
public sealed class PeopleAuthOptions
{
    public const string Section = "Auth:People";

    /// <summary>
    /// <c>None</c>, <c>ApiKey</c> or <c>OpenIdConnect</c>. Unset means <c>None</c> while every web listener is on loopback;
    /// with a web listener beyond this machine the server refuses to start until it is set (<see cref="PeopleAuthOptionsValidator"/>).
    /// </summary>
    public string? Mode { get; set; }

    /// <summary>
    /// Key name → the key, or better <c>sha256:HEX</c> of it (what <c>tracefleet-server key create NAME</c> prints; several
    /// comma-separated while rotating). The name is who the key belongs to, e.g. <c>prometheus</c>; it is logged, never the key.
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The OpenID Connect provider, with <see cref="PeopleAuthMode.OpenIdConnect"/>.</summary>
    public OpenIdConnectSettings OpenIdConnect { get; set; } = new();

    /// <summary>How long a signed-in browser stays signed in without using the UI, in minutes (sliding).</summary>
    public int SessionMinutes { get; set; } = 12 * 60;

    /// <summary>
    /// Folder for the keys that protect session cookies, so that sessions survive a restart: empty means <c>keys/</c> beside the
    /// SQLite database (Storage:Path). Several servers behind one address must share it.
    /// </summary>
    public string? KeyFolder { get; set; }

    /// <summary>The mode in force: <see cref="Mode"/>, or <see cref="PeopleAuthMode.None"/> when it is unset; null when it names no mode.</summary>
    public PeopleAuthMode? Effective =>
        string.IsNullOrWhiteSpace(Mode) ? PeopleAuthMode.None
        : Enum.GetValues<PeopleAuthMode>().Where(m => m.ToString().Equals(Mode.Trim(), StringComparison.OrdinalIgnoreCase)).Select(m => (PeopleAuthMode?)m).FirstOrDefault();
}

/// <summary>Configuration section <c>Auth:People:OpenIdConnect</c>: this server as a client (relying party) of an OpenID Connect provider.</summary>
public sealed class OpenIdConnectSettings
{
    /// <summary>The provider's issuer URL; its discovery document is read from <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>This server's client id at the provider.</summary>
    public string? ClientId { get; set; }

    /// <summary>This server's client secret at the provider (a confidential client); empty for a public client (PKCE only).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for, space-separated; <c>openid</c> is always asked for.</summary>
    public string Scopes { get; set; } = "openid profile";

    /// <summary>Where the provider sends the browser back, on this server; register <c>{web URL}{CallbackPath}</c> as the redirect URI.</summary>
    public string CallbackPath { get; set; } = "/signin-oidc";

    /// <summary>The provider must be reached over https (turn off only for a provider on loopback).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
