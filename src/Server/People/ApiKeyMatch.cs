using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.People;

/// <summary>API keys for people and their scripts: made and compared like agent tokens (<see cref="AgentTokens"/>), by digest, in constant time.</summary>
public static class ApiKeyMatch
{
    /// <summary>The name of the configured key that <paramref name="presented"/> is, or null; empty entries match nothing.</summary>
    public static string? Find(IReadOnlyDictionary<string, string> keys, string presented)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(presented);
        if (presented.Length == 0)
        {
            return null;
        }

        string? found = null;
        var digest = AgentTokens.PresentedDigest(presented);
        // Every entry is compared, so the time taken does not tell which one matched.
        foreach (var (name, configured) in keys)
        {
            if (!string.IsNullOrWhiteSpace(configured) && AgentTokens.Matches(configured, digest) && found is null)
            {
                found = name;
            }
        }

        return found;
    }
}
