using Tracefleet.Contract;
using Tracefleet.Server.Alerts.Rules;

namespace Tracefleet.Server.Alerts.Evaluation;

/// <summary>
/// Evaluates alert rules on samples as they arrive, in each host's time order: a sample is one snapshot (live) or one
/// bucket of stored history (preview). Per (rule, host, key) it keeps a window of per-second values and the alert's
/// state, and says every transition and notice to its <see cref="IAlertOutput"/>. Memory is constant per tracked series
/// and the series are bounded (<see cref="MaxSeries"/>). Not thread-safe: one caller at a time.
/// </summary>
public sealed partial class AlertEvaluator(IAlertOutput output, int maxSeries, Func<CompiledRule, string, string, bool>? silenced = null)
{
    private readonly Dictionary<(string Rule, string Host), RuleHostGroup> _groups = [];
    private Dictionary<string, ProbeRules> _rulesByProbe = new(StringComparer.Ordinal);
    private RuleHostGroup?[] _groupScratch = [];
    private Dictionary<string, CompiledRule> _rules = new(StringComparer.Ordinal);
    private long _sampleNumber;
    private int _series;

    /// <summary>The most (rule, host, key) series tracked at once; beyond it new keys are not tracked (<see cref="Untracked"/>).</summary>
    public int MaxSeries { get; } = maxSeries;

    /// <summary>Series tracked now.</summary>
    public int Series => _series;

    /// <summary>Keys not tracked because <see cref="MaxSeries"/> was reached, since start.</summary>
    public long Untracked { get; private set; }

    /// <summary>Samples skipped for a group because they were older than one already evaluated, since start.</summary>
    public long OutOfOrder { get; private set; }

    public IReadOnlyCollection<CompiledRule> Rules => _rules.Values;

    /// <summary>
    /// Replaces the rules. The alerts of a rule removed or changed end (resolved, with a notice when their firing was
    /// sent) at <paramref name="nowUnixMs"/>; a changed rule starts again from nothing.
    /// </summary>
    public void SetRules(IReadOnlyCollection<CompiledRule> rules, long nowUnixMs)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var next = rules.ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var ((ruleName, _), group) in _groups.ToList())
        {
            if (!next.TryGetValue(ruleName, out var rule) || !ReferenceEquals(rule, group.Rule))
            {
                // On the data's clock if that is ahead (an agent's clock a little ahead): an end never before its start.
                EndGroup(group, Math.Max(nowUnixMs, group.LastEndUnixMs), late: false);
                _groups.Remove((ruleName, group.Host));
            }
        }

        _rules = next;
        _rulesByProbe = rules.GroupBy(r => r.Probe.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new ProbeRules([.. g]), StringComparer.Ordinal);
    }

    /// <summary>
    /// Evaluates one sample of <paramref name="probe"/> from <paramref name="host"/>: the rows' values over
    /// [<paramref name="startUnixMs"/>, + <paramref name="durationMs"/>), keys not in <paramref name="keys"/> counting zero.
    /// The rows are columnar: key i's values are <paramref name="values"/>[i × C, (i + 1) × C), C = values / keys.
    /// A <paramref name="late"/> sample (a resent backlog) changes state and history but sends no firing notice: one
    /// goes out when a sample that is not late finds the alert still firing.
    /// </summary>
    public void Evaluate(string host, string probe, long startUnixMs, long durationMs, IReadOnlyList<string> keys, IReadOnlyList<ulong> values, bool late, long nowUnixMs)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        Heard(host, startUnixMs + durationMs, late, nowUnixMs);
        if (!_rulesByProbe.TryGetValue(probe, out var rules))
        {
            return;
        }

        durationMs = Math.Max(1, durationMs);
        var endUnixMs = startUnixMs + durationMs;
        var startSecond = startUnixMs / 1000;
        var seconds = Math.Max(1, (durationMs + 999) / 1000);
        var perSecond = 1000.0 / durationMs;
        var groups = _groupScratch.Length >= rules.Rules.Length ? _groupScratch : _groupScratch = new RuleHostGroup?[rules.Rules.Length];
        var forHost = rules.ForHost(host);
        for (var i = 0; i < rules.Rules.Length; i++)
        {
            groups[i] = forHost[i] ? Begin(rules.Rules[i], host, startUnixMs, endUnixMs, late, nowUnixMs) : null;
        }

        // Row by row, each key's matching rules looked up once (not every glob tried on every key of every snapshot).
        var sample = ++_sampleNumber;
        var width = SnapshotColumns.Width(keys, values);
        Span<ulong> row = stackalloc ulong[width];
        for (var r = 0; r < keys.Count; r++)
        {
            SnapshotColumns.CopyRow(values, r, row);
            foreach (var i in rules.Matching(keys[r]))
            {
                if (groups[i] is { } group)
                {
                    Take(group, keys[r], startSecond, seconds, group.Rule.ValueOf(row) * perSecond, sample);
                }
            }
        }

        for (var i = 0; i < rules.Rules.Length; i++)
        {
            if (groups[i] is { } group)
            {
                groups[i] = null;
                Finish(group, startSecond + seconds - 1, endUnixMs, late, sample);
            }
        }
    }

    /// <summary>The rule's group on the host, ready for a sample; null when the sample is older than one evaluated.</summary>
    private RuleHostGroup? Begin(CompiledRule rule, string host, long startUnixMs, long endUnixMs, bool late, long nowUnixMs)
    {
        var group = GroupOf(rule, host);
        if (endUnixMs <= group.LastEndUnixMs)
        {
            OutOfOrder++;
            return null;
        }

        if (group.ObservedSinceUnixMs < 0)
        {
            group.ObservedSinceUnixMs = startUnixMs;
        }

        group.LastEndUnixMs = endUnixMs;
        group.LastSeenUnixMs = nowUnixMs;
        if (group.NoData is { State: AlertState.Firing or AlertState.Pending } noData)
        {
            Change(group, "", noData, AlertState.Resolved, endUnixMs, double.NaN, late);
            group.NoData = null;
        }

        return group;
    }

    /// <summary>One row's value for the group's rule: into its series (a new one only when it counts and the bound allows).</summary>
    private void Take(RuleHostGroup group, string key, long startSecond, long seconds, double rate, long sample)
    {
        if (!group.Series.TryGetValue(key, out var tracker))
        {
            if (rate == 0 && group.Rule.Above)
            {
                return;
            }

            if (_series >= MaxSeries)
            {
                Untracked++;
                return;
            }

            group.Series[key] = tracker = group.NewTracker();
            _series++;
        }

        tracker.Add(startSecond, seconds, rate);
        tracker.Touched = sample;
    }

    /// <summary>Keys the sample did not carry count zero; every series steps; quiet series of an above rule are forgotten.</summary>
    private void Finish(RuleHostGroup group, long lastSecond, long endUnixMs, bool late, long sample)
    {
        List<string>? quiet = null;
        foreach (var (key, tracker) in group.Series)
        {
            if (tracker.Touched != sample)
            {
                tracker.AdvanceToSecond(lastSecond);
            }

            Step(group, key, tracker, endUnixMs, late);
            if (tracker.State is AlertState.Inactive or AlertState.Resolved && group.Rule.Above && tracker.IsQuiet())
            {
                (quiet ??= []).Add(key);
            }
        }

        foreach (var key in quiet ?? [])
        {
            group.Series.Remove(key);
            _series--;
        }
    }

    /// <summary>The rate last evaluated for (rule, host, key), or null when that series is not tracked.</summary>
    public double? ValueOf(string rule, string host, string key) =>
        _groups.TryGetValue((rule, host), out var group) && group.Series.TryGetValue(key, out var tracker) ? tracker.Value : null;

    /// <summary>Every alert pending or firing now, with the rule that raised it (null for host silent).</summary>
    public IEnumerable<ActiveAlert> Active()
    {
        foreach (var group in _groups.Values)
        {
            if (group.NoData is { State: AlertState.Pending or AlertState.Firing } noData)
            {
                yield return new ActiveAlert(group.Rule, group.Host, "", noData.State, noData.SinceUnixMs, double.NaN);
            }

            foreach (var (key, tracker) in group.Series)
            {
                if (tracker.State is AlertState.Pending or AlertState.Firing)
                {
                    yield return new ActiveAlert(group.Rule, group.Host, key, tracker.State, tracker.SinceUnixMs, tracker.Value);
                }
            }
        }

        foreach (var (host, watch) in _hosts)
        {
            if (watch.Silent is { State: AlertState.Firing } silent)
            {
                yield return new ActiveAlert(null, host, "", silent.State, silent.SinceUnixMs, double.NaN);
            }
        }
    }

    /// <summary>
    /// Puts back an alert kept across a restart, as if its host was last heard at <paramref name="nowUnixMs"/>; its window
    /// fills again from the next samples before it can change. False for a rule that no longer exists.
    /// </summary>
    public bool Restore(AlertSeriesState state, long nowUnixMs)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (HostSilentAfterMs > 0)
        {
            WatchOf(state.Host).LastSeenUnixMs = nowUnixMs;
        }

        if (state.Rule == HostSilentRule)
        {
            var watch = WatchOf(state.Host);
            watch.LastSeenUnixMs = nowUnixMs;
            watch.Silent = new SeriesTracker(1, 1) { State = state.State, SinceUnixMs = state.SinceUnixMs, FiringSinceUnixMs = state.SinceUnixMs, Notified = state.Notified, Value = double.NaN };
            Resume(null, state.Host, "", watch.Silent);
            return true;
        }

        if (!_rules.TryGetValue(state.Rule, out var rule) || state.State is not (AlertState.Pending or AlertState.Firing))
        {
            return false;
        }

        var group = GroupOf(rule, state.Host);
        group.LastSeenUnixMs = nowUnixMs;
        var tracker = group.NewTracker();
        (tracker.State, tracker.SinceUnixMs, tracker.FiringSinceUnixMs, tracker.Value, tracker.Notified) = (state.State, state.SinceUnixMs, state.SinceUnixMs, state.Value, state.Notified);
        if (state.Key.Length == 0 && rule.NoData == NoDataMode.Alert && double.IsNaN(state.Value))
        {
            group.NoData = tracker;
        }
        else if (_series < MaxSeries)
        {
            group.Series[state.Key] = tracker;
            _series++;
        }

        Resume(rule, state.Host, state.Key, tracker);
        return true;
    }

    /// <summary>A restored alert that was announced and fires still: receivers that repeat firing alerts take it up again.</summary>
    private void Resume(CompiledRule? rule, string host, string key, SeriesTracker tracker)
    {
        if (tracker is { State: AlertState.Firing, Notified: true })
        {
            output.Notify(NoticeOf(rule, host, key, tracker, AlertPhase.Firing, endsAt: null) with { Repeat = true });
        }
    }

    private RuleHostGroup GroupOf(CompiledRule rule, string host)
    {
        if (!_groups.TryGetValue((rule.Name, host), out var group))
        {
            _groups[(rule.Name, host)] = group = new RuleHostGroup(rule, host);
        }

        return group;
    }

    /// <summary>The state machine of one series at <paramref name="atUnixMs"/>; waits while the window is not yet full.</summary>
    private void Step(RuleHostGroup group, string key, SeriesTracker tracker, long atUnixMs, bool late)
    {
        if (!group.WindowKnownAt(atUnixMs))
        {
            return;
        }

        var rule = group.Rule;
        var rate = tracker.Average();
        tracker.Value = rate;
        switch (tracker.State)
        {
            case AlertState.Inactive or AlertState.Resolved when rule.Crosses(rate):
                Change(group, key, tracker, rule.ForMs == 0 ? AlertState.Firing : AlertState.Pending, atUnixMs, rate, late);
                break;
            case AlertState.Pending when !rule.Crosses(rate):
                Change(group, key, tracker, AlertState.Inactive, atUnixMs, rate, late);
                break;
            case AlertState.Pending when atUnixMs - tracker.SinceUnixMs >= rule.ForMs:
                Change(group, key, tracker, AlertState.Firing, atUnixMs, rate, late);
                break;
            case AlertState.Firing when rule.Clears(rate):
                tracker.ClearingSinceUnixMs ??= atUnixMs;
                if (atUnixMs - tracker.ClearingSinceUnixMs >= rule.KeepFiringForMs)
                {
                    Change(group, key, tracker, AlertState.Resolved, atUnixMs, rate, late);
                }

                break;
            case AlertState.Firing:
                tracker.ClearingSinceUnixMs = null;
                break;
        }

        if (tracker is { State: AlertState.Firing, Notified: false } && !late && !IsSilenced(rule, group.Host, key))
        {
            // Fired inside a backlog or under a silence that has since ended: announced now, with its own start.
            tracker.Notified = true;
            output.Notify(NoticeOf(rule, group.Host, key, tracker, AlertPhase.Firing, endsAt: null));
            output.Persist(StateOf(rule.Name, group.Host, key, tracker));
        }
    }

    private void Change(RuleHostGroup group, string key, SeriesTracker tracker, AlertState to, long atUnixMs, double rate, bool late) =>
        Change(group.Rule, group.Rule.Name, group.Host, key, tracker, to, atUnixMs, rate, late);

    private void Change(CompiledRule? rule, string ruleName, string host, string key, SeriesTracker tracker, AlertState to, long atUnixMs, double rate, bool late)
    {
        var from = tracker.State;
        tracker.State = to;
        tracker.SinceUnixMs = atUnixMs;
        if (to == AlertState.Firing)
        {
            tracker.FiringSinceUnixMs = atUnixMs;
        }

        tracker.ClearingSinceUnixMs = null;
        tracker.Value = rate;
        var silencedNow = IsSilenced(rule, host, key);
        var notified = false;
        if (to == AlertState.Firing && !late && !silencedNow)
        {
            tracker.Notified = notified = true;
            output.Notify(NoticeOf(rule, host, key, tracker, AlertPhase.Firing, endsAt: null));
        }
        else if (to is AlertState.Resolved or AlertState.Inactive && tracker.Notified)
        {
            tracker.Notified = false;
            notified = true;
            output.Notify(NoticeOf(rule, host, key, tracker, AlertPhase.Resolved, endsAt: atUnixMs));
        }

        output.Transitioned(new AlertTransition(ruleName, host, key, from, to, atUnixMs, rate, ActiveAlert.SeverityOf(rule), notified, silencedNow && to == AlertState.Firing));
        output.Persist(StateOf(ruleName, host, key, tracker));
    }

    private bool IsSilenced(CompiledRule? rule, string host, string key) => rule is not null && silenced is not null && silenced(rule, host, key);

    private static AlertNotice NoticeOf(CompiledRule? rule, string host, string key, SeriesTracker tracker, AlertPhase phase, long? endsAt)
    {
        return new AlertNotice(
            AlertFingerprint.Of(ActiveAlert.NameOf(rule), host, key), phase, ActiveAlert.LabelsOf(rule, host, key),
            ActiveAlert.AnnotationsOf(rule, host, key, tracker.Value), tracker.Value,
            DateTimeOffset.FromUnixTimeMilliseconds(tracker.FiringSinceUnixMs), endsAt is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null);
    }

    private static AlertSeriesState StateOf(string rule, string host, string key, SeriesTracker tracker) =>
        new(rule, host, key, tracker.State, tracker.SinceUnixMs, tracker.Value, tracker.Notified);
}
