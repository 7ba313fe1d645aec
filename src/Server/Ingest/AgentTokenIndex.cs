using System.Collections.Frozen;
using Tracefleet.Contract;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// <c>Auth:AgentTokens</c> turned around: each admitted digest to the hosts it writes for, so a presented token is looked up
/// once (one SHA-256 and a dictionary probe) whatever the number of hosts. The look-up is keyed by the token's digest, so
/// its timing says nothing about the token. Host names follow <see cref="HostNameRule"/>; an entry whose name breaks it
/// admits nothing and is listed in <see cref="InvalidHosts"/>.
/// </summary>
public sealed class AgentTokenIndex
{
    private readonly FrozenDictionary<string, string[]> _hostsByDigest;

    public AgentTokenIndex(IReadOnlyDictionary<string, string> configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var hostsByDigest = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var invalid = new List<string>();
        foreach (var (name, entry) in configured)
        {
            if (HostNameRule.Normalize(name, out _) is not { } host)
            {
                invalid.Add(HostNameRule.Printable(name));
                continue;
            }

            foreach (var digest in AgentTokens.ExpectedDigests(entry))
            {
                if (!hostsByDigest.TryGetValue(digest, out var hosts))
                {
                    hostsByDigest[digest] = hosts = new HashSet<string>(StringComparer.Ordinal);
                }

                hosts.Add(host);
            }
        }

        _hostsByDigest = hostsByDigest.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        InvalidHosts = invalid;
    }

    /// <summary>True when no token admits anyone.</summary>
    public bool IsEmpty => _hostsByDigest.Count == 0;

    /// <summary>Configured host names that break <see cref="HostNameRule"/>, escaped for a log line.</summary>
    public IReadOnlyList<string> InvalidHosts { get; }

    /// <summary>The hosts (normalised names) <paramref name="token"/> writes for; empty when it is no configured token.</summary>
    public IReadOnlyList<string> HostsOf(string token) =>
        _hostsByDigest.TryGetValue(AgentTokens.Digest(token), out var hosts) ? hosts : [];
}
