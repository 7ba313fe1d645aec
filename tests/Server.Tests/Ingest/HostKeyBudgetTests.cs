using Tracefleet.Contract;
using Tracefleet.Contract.V1;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

public sealed class HostKeyBudgetTests
{
    private static Snapshot NewSnapshot(string probe, params (string Key, ulong[] Values)[] rows)
    {
        var snapshot = new Snapshot { Sequence = 1, Probe = probe, StartUnixMs = 1, DurationMs = 1000 };
        foreach (var (key, values) in rows)
        {
            snapshot.Rows.Add(new Row { Key = key, Values = { values } });
        }

        return snapshot;
    }

    private static Dictionary<string, ulong[]> ByKey(Snapshot snapshot) =>
        snapshot.Rows.ToDictionary(r => r.Key, r => r.Values.ToArray(), StringComparer.Ordinal);

    [Fact]
    public void Apply_UnderTheBudget_LeavesTheSnapshotAlone()
    {
        var budget = new HostKeyBudget();
        var snapshot = NewSnapshot("kmem", ("dentry", [3, 1]), ("filp", [2, 2]));
        var original = snapshot.Clone();

        Assert.Equal(0, budget.Apply("web-01", snapshot, 2));
        Assert.Equal(original, snapshot);
    }

    [Fact]
    public void Apply_PastTheBudget_NewKeysFoldIntoOtherAndKnownKeysPass()
    {
        var budget = new HostKeyBudget();
        budget.Apply("web-01", NewSnapshot("kmem", ("dentry", [1, 1]), ("filp", [1, 1])), 2);

        var snapshot = NewSnapshot("kmem", ("tmp-1", [5, 4]), ("filp", [7, 6]), ("tmp-2", [10, 20]), ("dentry", [9, 8]));
        var folded = budget.Apply("web-01", snapshot, 2);

        Assert.Equal(2, folded);
        var rows = ByKey(snapshot);
        Assert.Equal([KeyBudget.Other, "dentry", "filp"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([15UL, 24UL], rows[KeyBudget.Other]);
        Assert.Equal([7UL, 6UL], rows["filp"]);
        Assert.Equal([9UL, 8UL], rows["dentry"]);
    }

    [Fact]
    public void Apply_OtherRowAlreadySent_FoldedKeysAddedToIt()
    {
        var budget = new HostKeyBudget();
        budget.Apply("web-01", NewSnapshot("pagefaults", ("libc.so.6", [1])), 1);

        var snapshot = NewSnapshot("pagefaults", ("libc.so.6", [4]), (KeyBudget.Other, [100]), ("/tmp/x1", [3]));
        budget.Apply("web-01", snapshot, 1);

        var rows = ByKey(snapshot);
        Assert.Equal(2, rows.Count);
        Assert.Equal([103UL], rows[KeyBudget.Other]);
    }

    [Fact]
    public void Apply_FirstSnapshotOverTheBudget_KeepsTheFirstKeysUpToIt()
    {
        var budget = new HostKeyBudget();
        var snapshot = NewSnapshot("pagefaults", ("a", [1]), ("b", [2]), ("c", [4]));

        Assert.Equal(1, budget.Apply("web-01", snapshot, 2));

        Assert.Equal(3, snapshot.Rows.Count);
        Assert.Equal([4UL], ByKey(snapshot)[KeyBudget.Other]);
    }

    [Fact]
    public void Apply_OtherHostOrOtherProbe_HasItsOwnBudget()
    {
        var budget = new HostKeyBudget();
        budget.Apply("web-01", NewSnapshot("pagefaults", ("a", [1])), 1);

        var otherHost = NewSnapshot("pagefaults", ("b", [1]));
        var otherProbe = NewSnapshot("kmem", ("b", [1, 1]));
        var sameHostAndProbe = NewSnapshot("pagefaults", ("b", [1]));

        Assert.Equal(0, budget.Apply("db-01", otherHost, 1));
        Assert.Equal(0, budget.Apply("web-01", otherProbe, 1));
        Assert.Equal(1, budget.Apply("web-01", sameHostAndProbe, 1));
        Assert.Equal("b", Assert.Single(otherHost.Rows).Key);
        Assert.Equal("b", Assert.Single(otherProbe.Rows).Key);
        Assert.Equal(KeyBudget.Other, Assert.Single(sameHostAndProbe.Rows).Key);
    }
}
