using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Decides who an agent is from what it presents before any message: a bearer token (<c>Auth:AgentTokens</c>) and a client
/// certificate that Kestrel already checked against <c>Ingest:ClientCertificate:CaPath</c>. Either one admits; when both
/// are presented both must hold. A token is per host and the Hello, which names the host, comes later: this says only
/// "a valid token of hosts H"; <see cref="AgentIdentity.MayWriteFor"/> then checks the Hello's host.
/// </summary>
public sealed class AgentAuthenticator(IOptionsMonitor<AuthOptions> options)
{
    // One object, replaced whole: concurrent calls read either the old pair or the new one, never half of each.
    private IndexedOptions? _index;

    /// <summary>The index of the current configuration, built once per configuration.</summary>
    public AgentTokenIndex Index
    {
        get
        {
            var auth = options.CurrentValue;
            var cached = _index;
            if (cached is null || !ReferenceEquals(cached.Options, auth))
            {
                cached = new IndexedOptions(auth, new AgentTokenIndex(auth.AgentTokens));
                _index = cached;
            }

            return cached.Index;
        }
    }

    private sealed record IndexedOptions(AuthOptions Options, AgentTokenIndex Index);

    /// <summary>
    /// The agent's identity from its <c>authorization</c> header (null when none) and client certificate; null with an
    /// UNAUTHENTICATED <paramref name="refusal"/> when it presents nothing valid.
    /// </summary>
    public AgentIdentity? Authenticate(string? authorization, X509Certificate2? certificate, out AgentRefusal? refusal)
    {
        refusal = null;
        var names = certificate is null ? null : CertificateNames(certificate);
        if (options.CurrentValue.AllowAnonymousAgents)
        {
            return new AgentIdentity(null, names);
        }

        var index = Index;
        var token = BearerToken(authorization);
        if (token is null && names is not null)
        {
            return new AgentIdentity(null, names);
        }

        if (index.IsEmpty)
        {
            const string Message = "this server accepts no agents yet: create a token with `tracefleet-server token create HOST` and configure it as "
                + "Auth:AgentTokens:HOST, or set Auth:AllowAnonymousAgents=true for a local trial";
            refusal = new AgentRefusal(AgentRefusalKind.Unauthenticated, Message, "no agent tokens are configured");
            return null;
        }

        if (token is null)
        {
            refusal = new AgentRefusal(
                AgentRefusalKind.Unauthenticated, "no agent token: start the agent with --token (the one configured for its host as Auth:AgentTokens:HOST)", "no token");
            return null;
        }

        var hosts = index.HostsOf(token);
        if (hosts.Count == 0)
        {
            refusal = new AgentRefusal(AgentRefusalKind.Unauthenticated, "the token is not valid for this host", "a token no host is configured with");
            return null;
        }

        return new AgentIdentity(hosts, names);
    }

    private static string? BearerToken(string? value)
    {
        const string Scheme = "Bearer ";
        return value is not null && value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && value[Scheme.Length..].Trim() is { Length: > 0 } token
            ? token
            : null;
    }

    private static List<string> CertificateNames(X509Certificate2 certificate) =>
        [.. new[] { certificate.GetNameInfo(X509NameType.SimpleName, false), certificate.GetNameInfo(X509NameType.DnsName, false) }
            .Where(n => n.Length > 0).Select(n => n.ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
}
