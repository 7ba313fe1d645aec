using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.People;

/// <summary>API keys for people and their scripts: made and compared like agent tokens (<see cref="AgentTokens"/>), by digest, in constant time.</summary>
public static class ApiKeyMatch
{
    /// <summary>The name of the configured key that <paramref name="presented"/> is, or null; empty entries match nothing.</summary>
    public static string? Find(IReadOnlyDictionary<string, string> keys, string presented)
    {
        string? found = null;
        // Every entry is compared, so the time taken does not tell which one matched.
        foreach (var (name, configured) in keys)
        {
            if (!string.IsNullOrWhiteSpace(configured) && presented.Length > 0 && AgentTokens.Matches(configured, presented) && found is null)
            {
                found = name;
            }
        }

        return found;
    }
}
