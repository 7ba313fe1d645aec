using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;
using Tracefleet.Server.Ingest;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.Ingest;

public sealed class HostKeyBudgetTests
{
    private const int IdleSeconds = 600;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private HostKeyBudget NewBudget() => new(Options.Create(new LimitsOptions { KeyIdleSeconds = IdleSeconds }), _time);

    private static Snapshot NewSnapshot(string probe, params (string Key, ulong[] Values)[] rows)
    {
        var snapshot = new Snapshot { Sequence = 1, Probe = probe, StartUnixMs = 1, DurationMs = 1000 };
        foreach (var (key, values) in rows)
        {
            snapshot.Keys.Add(key);
            snapshot.Values.Add(values);
        }

        return snapshot;
    }

    private static Snapshot Faults(params (string Key, ulong Faults)[] rows) =>
        NewSnapshot("pagefaults", [.. rows.Select(r => (r.Key, new[] { r.Faults }))]);

    private static Dictionary<string, ulong[]> ByKey(Snapshot snapshot) => WireForms.ByKey(snapshot);

    /// <summary>Sends the same snapshot once a second for <paramref name="seconds"/> seconds.</summary>
    private void Steady(HostKeyBudget budget, int maxKeys, int seconds, params (string Key, ulong Faults)[] rows)
    {
        for (var s = 0; s < seconds; s++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(0, budget.Apply("web-01", Faults(rows), maxKeys));
        }
    }

    [Fact]
    public void Apply_UnderTheBudget_LeavesTheSnapshotAlone()
    {
        var budget = NewBudget();
        var snapshot = NewSnapshot("kmem", ("dentry", [3, 1]), ("filp", [2, 2]));
        var original = snapshot.Clone();

        Assert.Equal(0, budget.Apply("web-01", snapshot, 2));
        Assert.Equal(original, snapshot);
        Assert.Equal(new KeyBudgetUsage(2, 0, 0), budget.Usage("web-01", "kmem"));
    }

    [Fact]
    public void Apply_PastTheBudget_QuieterNewKeysFoldIntoOtherAndKnownKeysPass()
    {
        var budget = NewBudget();
        budget.Apply("web-01", NewSnapshot("kmem", ("dentry", [10, 1]), ("filp", [10, 1])), 2);

        _time.Advance(TimeSpan.FromSeconds(1));
        var snapshot = NewSnapshot("kmem", ("tmp-1", [5, 4]), ("filp", [7, 6]), ("tmp-2", [1, 20]), ("dentry", [9, 8]));
        var folded = budget.Apply("web-01", snapshot, 2);

        Assert.Equal(2, folded);
        var rows = ByKey(snapshot);
        Assert.Equal([KeyBudget.Other, "dentry", "filp"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([6UL, 24UL], rows[KeyBudget.Other]);
        Assert.Equal([7UL, 6UL], rows["filp"]);
        Assert.Equal([9UL, 8UL], rows["dentry"]);
    }

    [Fact]
    public void Apply_OtherRowAlreadySent_FoldedKeysAddedToIt()
    {
        var budget = NewBudget();
        budget.Apply("web-01", Faults(("libc.so.6", 50)), 1);

        _time.Advance(TimeSpan.FromSeconds(1));
        var snapshot = Faults(("libc.so.6", 4), (KeyBudget.Other, 100), ("/tmp/x1", 3));
        Assert.Equal(1, budget.Apply("web-01", snapshot, 1));

        var rows = ByKey(snapshot);
        Assert.Equal(2, rows.Count);
        Assert.Equal([103UL], rows[KeyBudget.Other]);
    }

    [Fact]
    public void Apply_FirstSnapshotOverTheBudget_KeepsTheBusiestUpToIt()
    {
        var budget = NewBudget();
        var snapshot = Faults(("a", 1), ("b", 4), ("c", 2));

        Assert.Equal(1, budget.Apply("web-01", snapshot, 2));

        var rows = ByKey(snapshot);
        Assert.Equal([KeyBudget.Other, "b", "c"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([1UL], rows[KeyBudget.Other]);
    }

    [Fact]
    public void Apply_OtherHostOrOtherProbe_HasItsOwnBudget()
    {
        var budget = NewBudget();
        budget.Apply("web-01", Faults(("a", 5)), 1);

        var otherHost = Faults(("b", 1));
        var otherProbe = NewSnapshot("kmem", ("b", [1, 1]));
        var sameHostAndProbe = Faults(("b", 1));

        Assert.Equal(0, budget.Apply("db-01", otherHost, 1));
        Assert.Equal(0, budget.Apply("web-01", otherProbe, 1));
        Assert.Equal(1, budget.Apply("web-01", sameHostAndProbe, 1));
        Assert.Equal("b", Assert.Single(otherHost.Keys));
        Assert.Equal("b", Assert.Single(otherProbe.Keys));
        Assert.Equal(KeyBudget.Other, Assert.Single(sameHostAndProbe.Keys));
    }

    [Fact]
    public void Apply_KeyUnseenForTheIdleTime_LeavesAndANewKeyTakesItsPlace()
    {
        var budget = NewBudget();
        // "old" was far busier than the newcomer will ever be, then stopped; "live" keeps going, just as quietly.
        Steady(budget, 2, 60, ("old", 1000), ("live", 1));
        Steady(budget, 2, 100, ("live", 1));

        var early = Faults(("live", 1), ("new", 1));
        Assert.Equal(1, budget.Apply("web-01", early, 2));

        Steady(budget, 2, IdleSeconds, ("live", 1));
        Assert.Equal(1, budget.Usage("web-01", "pagefaults").Tracked);
        var late = Faults(("live", 1), ("new", 1));

        Assert.Equal(0, budget.Apply("web-01", late, 2));
        Assert.Equal(["live", "new"], late.Keys);
        Assert.Equal(2, budget.Usage("web-01", "pagefaults").Tracked);
    }

    [Fact]
    public void Apply_BusyNewKeyWithTheBudgetFull_DisplacesTheLeastBusy()
    {
        var budget = NewBudget();
        Steady(budget, 2, 120, ("steady", 100), ("quiet", 2));

        _time.Advance(TimeSpan.FromSeconds(1));
        var burst = Faults(("steady", 100), ("burst", 50));
        Assert.Equal(0, budget.Apply("web-01", burst, 2));

        // "quiet" lost its place to the busier newcomer: it is folded now, and "burst" stays.
        _time.Advance(TimeSpan.FromSeconds(1));
        var next = Faults(("steady", 100), ("burst", 50), ("quiet", 2));
        Assert.Equal(1, budget.Apply("web-01", next, 2));
        var rows = ByKey(next);
        Assert.Equal([50UL], rows["burst"]);
        Assert.Equal([2UL], rows[KeyBudget.Other]);
    }

    [Fact]
    public void Apply_NewKeysNoBusierThanAnyTrackedKey_FoldedAndTrackedKeysKeepTheirPlaces()
    {
        var budget = NewBudget();
        Steady(budget, 3, 120, ("a", 30), ("b", 20), ("c", 10));

        // Each second a few new keys as busy as "c" or quieter: a key at the same rate does not displace a tracked one.
        for (var s = 0; s < 300; s++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var snapshot = Faults(("a", 30), ("b", 20), ("c", 10), ($"tmp-{s}-x", 10), ($"tmp-{s}-y", 3));
            Assert.Equal(2, budget.Apply("web-01", snapshot, 3));
            var rows = ByKey(snapshot);
            Assert.Equal([13UL], rows[KeyBudget.Other]);
            Assert.Equal(["a", "b", "c"], rows.Keys.Where(k => k != KeyBudget.Other).Order(StringComparer.Ordinal));
        }

        Assert.Equal(new KeyBudgetUsage(3, 600, 600), budget.Usage("web-01", "pagefaults"));
    }

    [Fact]
    public void Apply_KeyThatStopped_DecaysUntilAQuieterNewcomerDisplacesIt()
    {
        var budget = NewBudget();
        Steady(budget, 2, 120, ("live", 100), ("stopped", 100));
        Steady(budget, 2, 30, ("live", 100));

        // Half a minute after stopping, "stopped" still counts for more than a newcomer at a tenth of its old rate ...
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, budget.Apply("web-01", Faults(("live", 100), ("newcomer", 10)), 2));

        // ... three minutes later (3 % of its activity left) it does not: the newcomer takes its place, long before the idle time.
        Steady(budget, 2, 180, ("live", 100));
        var late = Faults(("live", 100), ("newcomer", 10));
        Assert.Equal(0, budget.Apply("web-01", late, 2));
        Assert.Equal(["live", "newcomer"], late.Keys);
    }

    [Fact]
    public void Apply_NewcomerDisplacesAKeyOfTheSameSnapshot_ThatKeyFoldedSoTheSnapshotStaysInTheBudget()
    {
        var budget = NewBudget();
        Steady(budget, 2, 60, ("a", 100), ("b", 1));

        _time.Advance(TimeSpan.FromSeconds(1));
        var snapshot = Faults(("a", 100), ("b", 1), ("c", 80));
        Assert.Equal(1, budget.Apply("web-01", snapshot, 2));

        var rows = ByKey(snapshot);
        Assert.Equal([KeyBudget.Other, "a", "c"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([1UL], rows[KeyBudget.Other]);
    }

    [Fact]
    public void Apply_ChurningHostThroughTwentyThousandKeys_BudgetBoundedTotalsExactBusyKeysKept()
    {
        const int MaxKeys = 150;
        const int Seconds = 500;
        var budget = NewBudget();
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var storedNames = new HashSet<string>(StringComparer.Ordinal);
        long sent = 0;
        long stored = 0;
        long folded = 0;

        // 200 rows a second, more than the budget: 10 busy files that stay, and 190 overlay paths of short-lived containers
        // (40 new ids a second, each seen for about 5 seconds: 20,000 distinct names over the run), faulting 1 to 5 times.
        for (var s = 0; s < Seconds; s++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var rows = new List<(string, ulong)>();
            for (var i = 0; i < 10; i++)
            {
                rows.Add(($"/usr/lib/lib{i}.so", 500));
            }

            for (var i = 0; i < 190; i++)
            {
                var id = (s * 40) + i;
                rows.Add(($"/var/lib/overlay/{id:D6}/merged/app", (ulong)(1 + (id % 5))));
            }

            var snapshot = Faults([.. rows]);
            distinct.UnionWith(rows.Select(r => r.Item1));
            sent += rows.Sum(r => (long)r.Item2);

            folded += budget.Apply("ctr-01", snapshot, MaxKeys);

            stored += snapshot.Values.Sum(v => (long)v);
            storedNames.UnionWith(snapshot.Keys.Where(k => k != KeyBudget.Other));
            Assert.True(budget.Usage("ctr-01", "pagefaults").Tracked <= MaxKeys);
            Assert.True(snapshot.Keys.Count(k => k != KeyBudget.Other) <= MaxKeys);
            Assert.All(Enumerable.Range(0, 10), i => Assert.Contains($"/usr/lib/lib{i}.so", snapshot.Keys));
        }

        Assert.True(distinct.Count >= 20_000, $"{distinct.Count} distinct keys sent");
        Assert.Equal(sent, stored);
        var usage = budget.Usage("ctr-01", "pagefaults");
        Assert.Equal(MaxKeys, usage.Tracked);
        Assert.Equal(folded, usage.Folded);
        Assert.True(folded > 0, "the budget never filled");
        // The budget moves with the host: far more names than it holds got stored under their own names over time.
        Assert.True(storedNames.Count > 5 * MaxKeys, $"{storedNames.Count} names stored");
    }

    [Fact]
    public void Usage_AnHourAfterTheLastFold_LastHourEmptyTotalKept()
    {
        var budget = NewBudget();
        budget.Apply("web-01", Faults(("a", 10)), 1);
        budget.Apply("web-01", Faults(("a", 10), ("b", 1), ("c", 1)), 1);

        Assert.Equal(new KeyBudgetUsage(1, 2, 2), budget.Usage("web-01", "pagefaults"));

        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal((2, 2), Folds(budget.Usage("web-01", "pagefaults")));
        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal((0, 2), Folds(budget.Usage("web-01", "pagefaults")));

        static (long LastHour, long Total) Folds(KeyBudgetUsage usage) => (usage.FoldedLastHour, usage.Folded);
    }

    [Fact]
    public void Apply_AnotherHostLongAfterThisOneWentQuiet_ThisOnesKeysReleasedItsCountsKept()
    {
        var budget = NewBudget();
        budget.Apply("gone-01", Faults(("a", 10), ("b", 1)), 1);

        _time.Advance(TimeSpan.FromSeconds(IdleSeconds + 60));
        budget.Apply("web-01", Faults(("x", 1)), 1);

        Assert.Equal(new KeyBudgetUsage(0, 1, 1), budget.Usage("gone-01", "pagefaults"));
        Assert.Equal(
            [("gone-01", "pagefaults", new KeyBudgetUsage(0, 1, 1)), ("web-01", "pagefaults", new KeyBudgetUsage(1, 0, 0))],
            budget.All().OrderBy(b => b.Host, StringComparer.Ordinal));
    }

    [Fact]
    public void Usage_KeysIdleAndNoSnapshotSince_CountedOut()
    {
        var budget = NewBudget();
        budget.Apply("web-01", Faults(("a", 10), ("b", 1)), 5);

        _time.Advance(TimeSpan.FromSeconds(IdleSeconds - 1));
        Assert.Equal(2, budget.Usage("web-01", "pagefaults").Tracked);
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(0, budget.Usage("web-01", "pagefaults").Tracked);
    }

    [Fact]
    public void Usage_HostNeverSeen_AllZero() =>
        Assert.Equal(default, NewBudget().Usage("nobody", "pagefaults"));
}
