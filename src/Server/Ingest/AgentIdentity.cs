using System.Security.Claims;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Who an agent is, as the credentials it presents before its first message say: the hosts its token writes for (null when
/// it was admitted without one, under <c>Auth:AllowAnonymousAgents</c>) and the names of its client certificate (null
/// without one). Host names are normalised (<see cref="Contract.HostNameRule"/>). It travels from the authentication
/// handler to the ingest service as the call's <see cref="ClaimsPrincipal"/>.
/// </summary>
public sealed record AgentIdentity(IReadOnlyList<string>? TokenHosts, IReadOnlyList<string>? CertificateNames)
{
    /// <summary>A host the presented token writes for; one claim per host.</summary>
    public const string TokenHostClaim = "tracefleet:token-host";

    /// <summary>A name (CN or DNS name) of the presented client certificate, lowercase; one claim per name.</summary>
    public const string CertificateNameClaim = "tracefleet:certificate-name";

    /// <summary>Present when the agent was admitted without a token (<c>Auth:AllowAnonymousAgents</c>).</summary>
    public const string AnonymousClaim = "tracefleet:anonymous";

    /// <summary>
    /// Null when this agent may write data for <paramref name="host"/> (a normalised name): every credential it presented
    /// names that host. Otherwise a PERMISSION_DENIED refusal whose message names no other host's token.
    /// </summary>
    public AgentRefusal? MayWriteFor(string host)
    {
        if (TokenHosts is { } hosts && !hosts.Contains(host, StringComparer.Ordinal))
        {
            return new AgentRefusal(AgentRefusalKind.PermissionDenied, "the token is not valid for this host", $"the token is for {string.Join(", ", hosts)}");
        }

        if (CertificateNames is { Count: > 0 } names && !names.Contains(host, StringComparer.Ordinal))
        {
            // The agent holds the certificate's key: naming what it is for tells it nothing new.
            var message = $"the client certificate is for {names[0]}; it cannot write data for {host}";
            return new AgentRefusal(AgentRefusalKind.PermissionDenied, message);
        }

        return null;
    }

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>();
        claims.AddRange(TokenHosts?.Select(h => new Claim(TokenHostClaim, h)) ?? [new Claim(AnonymousClaim, "true")]);
        claims.AddRange(CertificateNames?.Select(n => new Claim(CertificateNameClaim, n)) ?? []);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The identity a principal made by <see cref="ToPrincipal"/> holds; null for any other principal.</summary>
    public static AgentIdentity? FromPrincipal(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var hosts = user.FindAll(TokenHostClaim).Select(c => c.Value).ToList();
        var anonymous = user.HasClaim(c => c.Type == AnonymousClaim);
        if (hosts.Count == 0 && !anonymous)
        {
            return null;
        }

        var names = user.FindAll(CertificateNameClaim).Select(c => c.Value).ToList();
        return new AgentIdentity(anonymous ? null : hosts, names.Count > 0 ? names : null);
    }
}
