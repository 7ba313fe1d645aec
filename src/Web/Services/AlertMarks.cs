namespace Tracefleet.Web.Services;

/// <summary>What a chart of a probe on some hosts over a range marks: the state changes of the alerts of that probe's rules on those hosts.</summary>
public static class AlertMarks
{
    /// <summary>State changes read per chart and host, newest first: a flapping alert beyond this loses its oldest marks.</summary>
    public const int Limit = 500;

    /// <summary>The names of the rules on <paramref name="probe"/> (<c>/api/rules</c>); null when the rules cannot be read.</summary>
    public static async Task<IReadOnlySet<string>?> RulesOnAsync(TracefleetApi api, string probe)
    {
        try
        {
            return (await api.RulesAsync().ConfigureAwait(false) ?? []).Where(r => r.Probe == probe).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        }
        catch (HttpRequestException)
        {
            // Marks of another probe's rules beat no marks: each names its rule.
            return null;
        }
    }

    /// <summary>
    /// <c>/api/alerts/history</c> for each of <paramref name="hosts"/> (none: the whole fleet, one call) over
    /// <paramref name="range"/>, kept to the rules named in <paramref name="rules"/> (<see cref="RulesOnAsync"/>; null: all of them).
    /// </summary>
    public static async Task<IReadOnlyList<AlertTransition>> LoadAsync(TracefleetApi api, TimeRangeSpec range, IReadOnlyList<string> hosts, IReadOnlySet<string>? rules)
    {
        var reads = hosts.Count == 0
            ? [api.AlertHistoryAsync(range, null, null, Limit)]
            : hosts.Select(h => api.AlertHistoryAsync(range, null, h, Limit)).ToList();
        var changes = (await Task.WhenAll(reads).ConfigureAwait(false)).SelectMany(c => c ?? []);
        return rules is null ? [.. changes] : [.. changes.Where(c => rules.Contains(c.Rule))];
    }
}

/// <summary>
/// The names of the rules on the probe a chart shows (<see cref="AlertMarks.RulesOnAsync"/>), read again only when the
/// probe changes: a change of range, hosts or an alert reloads the marks, not the rules.
/// </summary>
public sealed class RulesOnProbe
{
    private string? _probe;
    private IReadOnlySet<string>? _names;

    /// <summary>The rule names on <paramref name="probe"/>; null when the rules could not be read.</summary>
    public async Task<IReadOnlySet<string>?> ForAsync(TracefleetApi api, string probe)
    {
        if (_probe != probe)
        {
            (_names, _probe) = (await AlertMarks.RulesOnAsync(api, probe).ConfigureAwait(false), probe);
        }

        return _names;
    }
}
