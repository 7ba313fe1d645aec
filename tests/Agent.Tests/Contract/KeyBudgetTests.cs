using System.Numerics;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;
using Tracefleet.TestSupport;

namespace Tracefleet.Agent.Tests.Contract;

public sealed class KeyBudgetTests
{
    private static Snapshot NewSnapshot(params (string Key, ulong[] Values)[] rows)
    {
        var snapshot = new Snapshot { Sequence = 1, Probe = "kmem", StartUnixMs = 1, DurationMs = 1000 };
        foreach (var (key, values) in rows)
        {
            snapshot.Keys.Add(key);
            snapshot.Values.Add(values);
        }

        return snapshot;
    }

    private static Dictionary<string, ulong[]> ByKey(Snapshot snapshot) => WireForms.ByKey(snapshot);

    [Fact]
    public void Fold_OneValue_KeepsTheBusiestAndSumsTheRestIntoOther()
    {
        var snapshot = NewSnapshot(("a", [5]), ("b", [10]), ("c", [1]), ("d", [7]));

        var folded = KeyBudget.Fold(snapshot, 2);

        Assert.Equal(2, folded);
        var rows = ByKey(snapshot);
        Assert.Equal(3, rows.Count);
        Assert.Equal([10UL], rows["b"]);
        Assert.Equal([7UL], rows["d"]);
        Assert.Equal([6UL], rows[KeyBudget.Other]);
    }

    [Fact]
    public void Fold_TwoValues_RanksByTheFirstThenTheSecondAndSumsBoth()
    {
        var snapshot = NewSnapshot(("dentry", [9, 1]), ("filp", [9, 4]), ("kmalloc-64", [3, 3]), ("vm_area", [2, 8]));

        KeyBudget.Fold(snapshot, 2);

        var rows = ByKey(snapshot);
        Assert.Equal([KeyBudget.Other, "dentry", "filp"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([5UL, 11UL], rows[KeyBudget.Other]);
    }

    [Fact]
    public void Fold_EqualCounts_KeepsTheKeysFirstInOrdinalOrder()
    {
        var snapshot = NewSnapshot(("b", [4]), ("a", [4]), ("c", [4]));

        KeyBudget.Fold(snapshot, 1);

        Assert.Equal([KeyBudget.Other, "a"], snapshot.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Fold_ExistingOtherRow_MergedIntoTheNewOne()
    {
        var snapshot = NewSnapshot(("a", [50, 1]), (KeyBudget.Other, [100, 20]), ("b", [40, 2]), ("c", [1, 3]));

        var folded = KeyBudget.Fold(snapshot, 1);

        Assert.Equal(2, folded);
        var rows = ByKey(snapshot);
        Assert.Equal(2, rows.Count);
        Assert.Equal([50UL, 1UL], rows["a"]);
        Assert.Equal([141UL, 25UL], rows[KeyBudget.Other]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Fold_UnderTheCapOrNoLimit_LeavesTheSnapshotAlone(int maxKeys)
    {
        var snapshot = NewSnapshot(("a", [5, 0]), ("b", [10, 1]), ("c", [1, 2]));
        var original = snapshot.Clone();

        Assert.Equal(0, KeyBudget.Fold(snapshot, maxKeys));
        Assert.Equal(original, snapshot);
    }

    [Fact]
    public void Fold_SumPastUInt64_SaturatesAtMaxValue()
    {
        var snapshot = NewSnapshot(("a", [ulong.MaxValue, 1]), ("b", [ulong.MaxValue - 1, 2]), ("c", [5, 3]));

        KeyBudget.Fold(snapshot, 1);

        Assert.Equal([ulong.MaxValue, 5UL], ByKey(snapshot)[KeyBudget.Other]);
    }

    [Fact]
    public void Fold_RandomSnapshots_BoundedRowsExactSumsAndTheBusiestKept()
    {
        var random = new Random(20250301);
        for (var round = 0; round < 500; round++)
        {
            var width = random.Next(1, 3);
            var maxKeys = random.Next(0, 12);
            // A narrow range now and then, so ties (and the key tie-break) occur.
            var range = random.Next(2) == 0 ? 4 : 1L << 40;
            var rows = Enumerable.Range(0, random.Next(0, 30))
                .Select(i => (Key: random.Next(8) == 0 && i == 0 ? KeyBudget.Other : $"key{random.Next(1_000_000)}:{i}", Values: Enumerable.Range(0, width).Select(_ => (ulong)random.NextInt64(range)).ToArray()))
                .ToArray();
            var snapshot = NewSnapshot(rows);
            var original = snapshot.Clone();

            KeyBudget.Fold(snapshot, maxKeys);

            var context = $"round {round}: {rows.Length} rows, width {width}, maxKeys {maxKeys}";
            if (maxKeys <= 0 || rows.Length <= maxKeys)
            {
                Assert.True(original.Equals(snapshot), context);
                continue;
            }

            var table = WireForms.Table(snapshot);
            Assert.True(table.Count <= maxKeys + 1, context);
            Assert.True(snapshot.Values.Count == table.Count * width, context);
            Assert.True(table.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count() == table.Count, context);
            for (var column = 0; column < width; column++)
            {
                var before = rows.Aggregate(BigInteger.Zero, (sum, r) => sum + r.Values[column]);
                var after = table.Aggregate(BigInteger.Zero, (sum, r) => sum + r.Values[column]);
                Assert.True(before == after, $"{context}: column {column} sums to {after}, not {before}");
            }

            var busiest = rows.Where(r => r.Key != KeyBudget.Other)
                .OrderByDescending(r => r.Values[0])
                .ThenByDescending(r => width > 1 ? r.Values[1] : 0)
                .ThenBy(r => r.Key, StringComparer.Ordinal)
                .Take(maxKeys)
                .Select(r => r.Key)
                .Order(StringComparer.Ordinal);
            var kept = table.Select(r => r.Key).Where(k => k != KeyBudget.Other).Order(StringComparer.Ordinal);
            Assert.True(busiest.SequenceEqual(kept), context);
        }
    }
}
