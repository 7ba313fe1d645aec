using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Decides whether an agent may write as the host it names: its bearer token must be the one configured
/// for that host. A token of another host is a permission problem, not an authentication one.
/// </summary>
public sealed class AgentAuthenticator(IOptionsMonitor<AuthOptions> options)
{
    /// <summary>Null when admitted; otherwise the refusal to end the call with.</summary>
    public Status? Check(string host, Metadata headers)
    {
        var auth = options.CurrentValue;
        var token = BearerToken(headers);
        if (auth.AllowAnonymousAgents)
        {
            return null;
        }

        if (auth.AgentTokens.Count == 0)
        {
            return new Status(StatusCode.Unauthenticated,
                "this server accepts no agents yet: create a token with `tracefleet-server token create HOST` and configure it as Auth:AgentTokens:HOST, "
                + "or set Auth:AllowAnonymousAgents=true for a local trial");
        }

        if (token is null)
        {
            return new Status(StatusCode.Unauthenticated, $"no agent token: start the agent with --token (the one configured for {host} as Auth:AgentTokens:{host})");
        }

        if (auth.AgentTokens.TryGetValue(host, out var configured) && AgentTokens.Matches(configured, token))
        {
            return null;
        }

        var owner = auth.AgentTokens.FirstOrDefault(kv => AgentTokens.Matches(kv.Value, token)).Key;
        return owner is not null
            ? new Status(StatusCode.PermissionDenied, $"this token belongs to host {owner}; it cannot write data for {host}")
            : new Status(StatusCode.Unauthenticated, $"the token is not valid for {host}");
    }

    private static string? BearerToken(Metadata headers)
    {
        var value = headers.GetValue("authorization");
        const string Scheme = "Bearer ";
        return value is not null && value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && value.Length > Scheme.Length
            ? value[Scheme.Length..].Trim()
            : null;
    }
}
