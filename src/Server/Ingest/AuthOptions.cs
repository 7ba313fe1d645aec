namespace Tracefleet.Server.Ingest;

/// <summary>Configuration section <c>Auth</c>: who may send data.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Host name → that host's agent token, either the token itself or <c>sha256:HEX</c> of it
    /// (what <c>tracefleet-server token create HOST</c> prints). A token only admits its own host.
    /// </summary>
    public Dictionary<string, string> AgentTokens { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Admits any agent without a token: for local trials only (a warning is logged at start).</summary>
    public bool AllowAnonymousAgents { get; set; }
}
