using Tracefleet.Server.Alerts.Rules;

namespace Tracefleet.Server.Alerts.Evaluation;

/// <summary>
/// What the evaluator does when data stops: the only part driven by the clock rather than by samples
/// (<see cref="Sweep"/>, called every second or so). A host that sends nothing at all for
/// <see cref="HostSilentAfterMs"/> raises one host-silent alert, and then no rule raises a no-data alert for it.
/// </summary>
public sealed partial class AlertEvaluator
{
    /// <summary>The <c>alertname</c> of the host-silent alert; no rule may take it.</summary>
    public const string HostSilentRule = "HostSilent";

    /// <summary>The host-silent alert's <c>severity</c>.</summary>
    public const string HostSilentSeverity = "critical";

    private readonly Dictionary<string, HostWatch> _hosts = new(StringComparer.Ordinal);

    /// <summary>How long a host may send nothing before it is silent; 0 turns host-silent alerts off.</summary>
    public long HostSilentAfterMs { get; init; }

    /// <summary>How long a rule's probe may send nothing from a host that still sends others before <c>no_data</c> applies (at least the rule's window).</summary>
    public long NoDataAfterMs { get; init; } = 60_000;

    /// <summary>Applies <c>no_data</c> and host silence at server time <paramref name="nowUnixMs"/>.</summary>
    public void Sweep(long nowUnixMs)
    {
        if (HostSilentAfterMs > 0)
        {
            foreach (var (host, watch) in _hosts)
            {
                if (watch.Silent is null or { State: AlertState.Inactive or AlertState.Resolved }
                    && watch.LastSeenUnixMs > 0 && nowUnixMs - watch.LastSeenUnixMs >= HostSilentAfterMs)
                {
                    watch.Silent ??= new SeriesTracker(1, 1) { Value = double.NaN };
                    Change(null, HostSilentRule, host, "", watch.Silent, AlertState.Firing, watch.LastSeenUnixMs + HostSilentAfterMs, double.NaN, late: false);
                }
            }
        }

        foreach (var group in _groups.Values)
        {
            var rule = group.Rule;
            if (group.LastSeenUnixMs == 0 || nowUnixMs - group.LastSeenUnixMs < Math.Max(NoDataAfterMs, rule.WindowMs) || IsHostSilent(group.Host))
            {
                continue;
            }

            var since = group.LastSeenUnixMs + Math.Max(NoDataAfterMs, rule.WindowMs);
            switch (rule.NoData)
            {
                case NoDataMode.Alert when group.NoData is null or { State: AlertState.Inactive or AlertState.Resolved }:
                    group.NoData ??= group.NewTracker();
                    Change(rule, rule.Name, group.Host, "", group.NoData, AlertState.Firing, since, double.NaN, late: false);
                    break;
                case NoDataMode.Ignore when group.Series.Count > 0:
                    EndGroup(group, since, late: false);
                    break;
            }
        }
    }

    /// <summary>Ends every alert of <paramref name="group"/> (pending → inactive, firing → resolved) and forgets its series and window.</summary>
    private void EndGroup(RuleHostGroup group, long atUnixMs, bool late)
    {
        foreach (var (key, tracker) in group.Series)
        {
            if (tracker.State is AlertState.Pending or AlertState.Firing)
            {
                Change(group, key, tracker, tracker.State == AlertState.Firing ? AlertState.Resolved : AlertState.Inactive, atUnixMs, tracker.Value, late);
            }
        }

        if (group.NoData is { State: AlertState.Pending or AlertState.Firing } noData)
        {
            Change(group, "", noData, AlertState.Resolved, atUnixMs, double.NaN, late);
        }

        _series -= group.Series.Count;
        group.Series.Clear();
        group.NoData = null;
        group.ObservedSinceUnixMs = -1;
    }

    /// <summary>A sample from <paramref name="host"/> arrived: it is not silent (a silent one's alert resolves).</summary>
    private void Heard(string host, long endUnixMs, bool late, long nowUnixMs)
    {
        if (HostSilentAfterMs <= 0)
        {
            return;
        }

        var watch = WatchOf(host);
        watch.LastSeenUnixMs = nowUnixMs;
        if (watch.Silent is { State: AlertState.Firing } silent)
        {
            Change(null, HostSilentRule, host, "", silent, AlertState.Resolved, Math.Max(endUnixMs, silent.SinceUnixMs), double.NaN, late);
        }
    }

    private bool IsHostSilent(string host) => _hosts.TryGetValue(host, out var watch) && watch.Silent is { State: AlertState.Firing };

    private HostWatch WatchOf(string host)
    {
        if (!_hosts.TryGetValue(host, out var watch))
        {
            _hosts[host] = watch = new HostWatch();
        }

        return watch;
    }

    private sealed class HostWatch
    {
        public long LastSeenUnixMs { get; set; }

        public SeriesTracker? Silent { get; set; }
    }
}
