using Tracefleet.Contract.Probes;
using Tracefleet.Server.Alerts;
using Tracefleet.Server.Alerts.Evaluation;
using Tracefleet.Server.Alerts.Rules;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>The state machine, as tables: a value per second in, the transitions and notices out.</summary>
public sealed class AlertEvaluatorTests
{
    private const string Host = "web-01";
    private const string File = "libc.so.6";

    private readonly RecordingOutput _output = new();

    private static CompiledRule Rule(Action<AlertRule>? change = null)
    {
        var spec = new AlertRule { Name = "storm", Probe = "pagefaults", Column = "faults", Above = "100", Window = "1s" };
        change?.Invoke(spec);
        var rule = RuleCompiler.Compile(spec, RuleSource.Api, ProbeCatalogue.Find, out var errors);
        Assert.True(rule is not null, string.Join("; ", RuleCompiler.Describe(errors)));
        return rule;
    }

    private AlertEvaluator Evaluator(CompiledRule rule, int maxSeries = 1000, long hostSilentAfterMs = 0, Func<CompiledRule, string, string, bool>? silenced = null)
    {
        var evaluator = new AlertEvaluator(_output, maxSeries, silenced) { HostSilentAfterMs = hostSilentAfterMs };
        evaluator.SetRules([rule], 0);
        return evaluator;
    }

    /// <summary>One snapshot per second from second <paramref name="from"/>, with <paramref name="values"/> for the file (null: the file absent).</summary>
    private static void Feed(AlertEvaluator evaluator, long from, IEnumerable<ulong?> values, bool late = false, string key = File)
    {
        var second = from;
        foreach (var value in values)
        {
            string[] keys = value is null ? [] : [key];
            ulong[] counts = value is { } v ? [v] : [];
            evaluator.Evaluate(Host, "pagefaults", second * 1000, 1000, keys, counts, late, nowUnixMs: (second + 1) * 1000);
            second++;
        }
    }

    [Fact]
    public void Evaluate_AboveForLongerThanFor_GoesPendingThenFiringAndNotifiesOnce()
    {
        var evaluator = Evaluator(Rule(r => r.For = "3s"));
        Feed(evaluator, 0, [200, 200, 200, 200, 200, 200]);

        Assert.Equal(["inactive→pending@1", "pending→firing@4"], _output.Steps);
        var notice = Assert.Single(_output.Notices);
        Assert.Equal((AlertPhase.Firing, 4_000L), (notice.Phase, notice.StartsAt.ToUnixTimeMilliseconds()));
        Assert.Equal("storm", notice.Labels["alertname"]);
        Assert.Equal(File, notice.Labels["key"]);
    }

    [Fact]
    public void Evaluate_ConditionEndsWhilePending_GoesBackToInactiveWithoutNotice()
    {
        var evaluator = Evaluator(Rule(r => r.For = "3s"));
        Feed(evaluator, 0, [200, 200, 50, 200]);

        Assert.Equal(["inactive→pending@1", "pending→inactive@3", "inactive→pending@4"], _output.Steps);
        Assert.Empty(_output.Notices);
    }

    [Fact]
    public void Evaluate_WithClear_ResolvesOnlyOncePastClear()
    {
        var evaluator = Evaluator(Rule(r => r.Clear = "50"));
        Feed(evaluator, 0, [200, 80, 60, 40]);

        Assert.Equal(["inactive→firing@1", "firing→resolved@4"], _output.Steps);
        Assert.Equal([AlertPhase.Firing, AlertPhase.Resolved], _output.Notices.Select(n => n.Phase));
        Assert.Equal((1_000L, 4_000L), (_output.Notices[1].StartsAt.ToUnixTimeMilliseconds(), _output.Notices[1].EndsAt!.Value.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public void Evaluate_WithoutClear_ResolvesAsSoonAsTheConditionEnds()
    {
        var evaluator = Evaluator(Rule());
        Feed(evaluator, 0, [200, 80]);
        Assert.Equal(["inactive→firing@1", "firing→resolved@2"], _output.Steps);
    }

    [Fact]
    public void Evaluate_KeepFiringFor_HoldsTheAlertThatLongAfterItClears()
    {
        var evaluator = Evaluator(Rule(r => r.KeepFiringFor = "2s"));
        Feed(evaluator, 0, [200, 0, 200, 0, 0, 0]);

        // Clear at 2, back above at 3 (the wait starts over), clear from 4: resolved 2 s later.
        Assert.Equal(["inactive→firing@1", "firing→resolved@6"], _output.Steps);
    }

    [Fact]
    public void Evaluate_RateIsTheMeanOverTheWindow_NotTheLastSecond()
    {
        var evaluator = Evaluator(Rule(r => r.Window = "4s"));
        Feed(evaluator, 0, [400, 0, 0, 0, 401, 0, 0, 0, 0]);

        // Window full at 4: mean 100, not above. At 5: (0+0+0+401)/4 = 100.25, above. At 9 the 401 has left the window.
        Assert.Equal(["inactive→firing@5", "firing→resolved@9"], _output.Steps);
    }

    [Fact]
    public void Evaluate_KeyAbsentFromLaterSnapshots_CountsZeroAndResolves()
    {
        var evaluator = Evaluator(Rule(r => r.Window = "2s"));
        Feed(evaluator, 0, [300, 300, null, null]);

        // Mean of the last two seconds: 300 at 2, 150 at 3, 0 at 4.
        Assert.Equal(["inactive→firing@2", "firing→resolved@4"], _output.Steps);
    }

    [Fact]
    public void Evaluate_BelowRule_FiresWhenTheRateFalls()
    {
        var evaluator = Evaluator(Rule(r => (r.Above, r.Below) = (null, "10")));
        Feed(evaluator, 0, [50, 50, 5, 5, 50]);
        Assert.Equal(["inactive→firing@3", "firing→resolved@5"], _output.Steps);
    }

    [Fact]
    public void Evaluate_NetColumn_FiresOnAllocationsWithoutFrees()
    {
        var evaluator = Evaluator(Rule(r => (r.Probe, r.Column, r.Above) = ("kmem", "net", "500")));
        foreach (var (second, allocs, frees) in new[] { (0L, 1000UL, 900UL), (1L, 1000UL, 100UL) })
        {
            evaluator.Evaluate(Host, "kmem", second * 1000, 1000, ["dentry"], [allocs, frees], late: false, (second + 1) * 1000);
        }

        Assert.Equal(["inactive→firing@2"], _output.Steps);
        Assert.Equal(900, _output.Transitions[0].Value);
    }

    [Fact]
    public void Evaluate_BacklogThatFiresAndResolves_GoesToHistoryWithoutNotices()
    {
        var evaluator = Evaluator(Rule());
        Feed(evaluator, 0, [200, 200, 10], late: true);
        Feed(evaluator, 3, [10]);

        Assert.Equal(["inactive→firing@1", "firing→resolved@3"], _output.Steps);
        Assert.All(_output.Transitions, t => Assert.False(t.Notified));
        Assert.Empty(_output.Notices);
    }

    [Fact]
    public void Evaluate_LongBacklogStartingAboveTheThreshold_FiresAndResolvesInHistory()
    {
        var evaluator = Evaluator(Rule(r => r.Window = "2s"));
        Feed(evaluator, 1_796_027_024, [5000, 5000, 5000, 5000, .. Enumerable.Repeat<ulong?>(10, 66)], late: true);

        Assert.Equal(["inactive→firing@1796027026", "firing→resolved@1796027030"], _output.Steps);
        Assert.Empty(_output.Notices);
    }

    [Fact]
    public void Evaluate_BacklogEndingWhileFiring_NotifiesOnceLiveDataArrivesWithTheOriginalStart()
    {
        var evaluator = Evaluator(Rule());
        Feed(evaluator, 0, [200, 200], late: true);
        Assert.Empty(_output.Notices);

        Feed(evaluator, 2, [200, 200]);
        var notice = Assert.Single(_output.Notices);
        Assert.Equal(1_000, notice.StartsAt.ToUnixTimeMilliseconds());
        Assert.Equal(["inactive→firing@1"], _output.Steps);
    }

    [Fact]
    public void Evaluate_OlderSampleThanOneEvaluated_IsSkipped()
    {
        var evaluator = Evaluator(Rule());
        Feed(evaluator, 5, [10]);
        Feed(evaluator, 2, [500]);
        Assert.Empty(_output.Transitions);
        Assert.Equal(1, evaluator.OutOfOrder);
    }

    [Fact]
    public void Evaluate_MoreKeysThanTheBound_TracksOnlyUpToIt()
    {
        var evaluator = Evaluator(Rule(), maxSeries: 2);
        evaluator.Evaluate(Host, "pagefaults", 0, 1000, ["a", "b", "c"], [500, 500, 500], false, 1000);
        Assert.Equal((2, 1L), (evaluator.Series, evaluator.Untracked));
    }

    [Fact]
    public void Evaluate_QuietKeysOfAnAboveRule_AreForgotten()
    {
        var evaluator = Evaluator(Rule(r => r.Window = "2s"));
        Feed(evaluator, 0, [50, null, null]);
        Assert.Equal(0, evaluator.Series);
    }

    [Fact]
    public void Evaluate_Silenced_StoresTheFiringWithoutNoticeAndNotifiesWhenTheSilenceEnds()
    {
        var silenced = true;
        var evaluator = Evaluator(Rule(), silenced: (_, _, _) => silenced);
        Feed(evaluator, 0, [200, 200]);
        Assert.True(Assert.Single(_output.Transitions).Silenced);
        Assert.Empty(_output.Notices);

        silenced = false;
        Feed(evaluator, 2, [200]);
        Assert.Equal(AlertPhase.Firing, Assert.Single(_output.Notices).Phase);
    }

    [Fact]
    public void Restore_FiringAlertThatWasNotified_IsNotAnnouncedAgainAndResolvesWithANotice()
    {
        var rule = Rule(r => r.Window = "2s");
        var evaluator = Evaluator(rule);
        Assert.True(evaluator.Restore(new AlertSeriesState("storm", Host, File, AlertState.Firing, 1_000, 300, Notified: true), 10_000));

        // Only a repeat for receivers that let unrepeated alerts expire; nothing new while it fires on.
        var repeat = Assert.Single(_output.Notices);
        Assert.True(repeat is { Repeat: true, Phase: AlertPhase.Firing });
        Feed(evaluator, 10, [300, 300, 300]);
        Assert.Single(_output.Notices);
        Feed(evaluator, 13, [0, 0]);

        Assert.Equal(["firing→resolved@15"], _output.Steps);
        var resolved = _output.Notices[^1];
        Assert.False(resolved.Repeat);
        Assert.Equal((AlertPhase.Resolved, 1_000L), (resolved.Phase, resolved.StartsAt.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public void Restore_RuleNoLongerThere_IsRefused()
    {
        var evaluator = Evaluator(Rule());
        Assert.False(evaluator.Restore(new AlertSeriesState("gone", Host, File, AlertState.Firing, 1_000, 300, Notified: true), 10_000));
    }

    [Theory]
    [InlineData("alert", "inactive→firing@1 inactive→firing@61", 2)]
    [InlineData("ignore", "inactive→firing@1 firing→resolved@61", 2)]
    [InlineData("keep", "inactive→firing@1", 1)]
    public void Sweep_ProbeStopsWhileTheHostGoesOn_AppliesNoData(string noData, string steps, int notices)
    {
        var evaluator = Evaluator(Rule(r => r.NoData = noData));
        Feed(evaluator, 0, [200]);
        evaluator.Sweep(30_000);
        evaluator.Sweep(62_000);

        Assert.Equal(steps.Split(' '), _output.Steps);
        Assert.Equal(notices, _output.Notices.Count);
    }

    [Fact]
    public void Evaluate_DataBackAfterANoDataAlert_ResolvesIt()
    {
        var evaluator = Evaluator(Rule(r => r.NoData = "alert"));
        Feed(evaluator, 0, [10]);
        evaluator.Sweep(62_000);
        Feed(evaluator, 70, [10]);

        Assert.Equal(["inactive→firing@61", "firing→resolved@71"], _output.Steps);
        Assert.All(_output.Transitions, t => Assert.Equal("", t.Key));
    }

    [Fact]
    public void Sweep_HostSilent_RaisesOneHostSilentAlertAndNoNoDataAlerts()
    {
        var evaluator = Evaluator(Rule(r => r.NoData = "alert"), hostSilentAfterMs: 60_000);
        Feed(evaluator, 0, [10]);
        evaluator.Sweep(61_000);
        evaluator.Sweep(120_000);

        var silent = Assert.Single(_output.Transitions);
        Assert.Equal((AlertEvaluator.HostSilentRule, AlertState.Firing, 61_000L), (silent.Rule, silent.To, silent.AtUnixMs));
        Assert.Equal(AlertEvaluator.HostSilentRule, Assert.Single(_output.Notices).Labels["alertname"]);

        Feed(evaluator, 130, [10]);
        Assert.Equal(AlertState.Resolved, _output.Transitions[^1].To);
    }

    [Fact]
    public void SetRules_RuleRemovedWhileFiring_ResolvesItWithANotice()
    {
        var evaluator = Evaluator(Rule());
        Feed(evaluator, 0, [200]);
        evaluator.SetRules([], 5_000);

        Assert.Equal(["inactive→firing@1", "firing→resolved@5"], _output.Steps);
        Assert.Equal(AlertPhase.Resolved, _output.Notices[^1].Phase);
        Assert.Empty(_output.Kept);
    }

    [Fact]
    public void Evaluate_FiringAlert_IsKeptForARestartUntilItResolves()
    {
        var evaluator = Evaluator(Rule());
        Feed(evaluator, 0, [200]);
        var kept = Assert.Single(_output.Kept.Values);
        Assert.Equal((AlertState.Firing, 1_000L, true), (kept.State, kept.SinceUnixMs, kept.Notified));

        Feed(evaluator, 1, [0]);
        Assert.Empty(_output.Kept);
    }
}
