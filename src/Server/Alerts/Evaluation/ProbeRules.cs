using Tracefleet.Server.Alerts.Rules;

namespace Tracefleet.Server.Alerts.Evaluation;

/// <summary>
/// One probe's rules, with which of them each key and each host matches, remembered: a fleet sends the same keys and
/// hosts second after second, so each glob is tried once per name instead of once per row of every snapshot. Both
/// memories are bounded and start over when full.
/// </summary>
internal sealed class ProbeRules(CompiledRule[] rules)
{
    /// <summary>Keys whose matching rules are remembered at once.</summary>
    public const int MaxKeys = 200_000;

    /// <summary>Hosts whose matching rules are remembered at once.</summary>
    public const int MaxHosts = 20_000;

    private readonly Dictionary<string, int[]> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool[]> _hosts = new(StringComparer.Ordinal);

    public CompiledRule[] Rules { get; } = rules;

    /// <summary>The positions in <see cref="Rules"/> of the rules whose key glob matches <paramref name="key"/> (or that have none).</summary>
    public int[] Matching(string key)
    {
        if (!_keys.TryGetValue(key, out var matching))
        {
            if (_keys.Count >= MaxKeys)
            {
                _keys.Clear();
            }

            matching = [.. Enumerable.Range(0, Rules.Length).Where(i => Rules[i].Key?.IsMatch(key) ?? true)];
            _keys[key] = matching;
        }

        return matching;
    }

    /// <summary>Per rule, whether its host glob matches <paramref name="host"/> (or it has none).</summary>
    public bool[] ForHost(string host)
    {
        if (!_hosts.TryGetValue(host, out var matches))
        {
            if (_hosts.Count >= MaxHosts)
            {
                _hosts.Clear();
            }

            matches = [.. Rules.Select(r => r.Hosts?.IsMatch(host) ?? true)];
            _hosts[host] = matches;
        }

        return matches;
    }
}
