using Tracefleet.Contract.Probes;
using Tracefleet.Contract.V1;
using Tracefleet.Server.History;
using Tracefleet.Server.Live;

namespace Tracefleet.Server.Tests.Live;

/// <summary>The fleet event's per-host totals: sums of the snapshots stored in the interval, unsigned and saturating.</summary>
public sealed class FleetTallyTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Take_TotalsPastLongMax_ExactAsUnsigned()
    {
        var tally = new FleetTally();
        tally.Add(Kmem("web-01", ("x", 5_000_000_000_000_000_000, 1)));
        tally.Add(Kmem("web-01", ("x", 5_000_000_000_000_000_000, 2)));

        var host = Assert.Single(Take(tally).Hosts);

        Assert.Equal((10_000_000_000_000_000_000UL, 3UL), (host.TotalOf(ProbeCatalogue.Allocs), host.TotalOf(ProbeCatalogue.Frees)));
        Assert.Equal("x", host.TopKeyOf(ProbeCatalogue.Kmem));
    }

    [Fact]
    public void Take_TotalsPast64Bits_SaturatedNeverWrapped()
    {
        var tally = new FleetTally();
        tally.Add(Kmem("web-01", ("x", 10_000_000_000_000_000_000, 0), ("y", 9_000_000_000_000_000_000, 0)));
        tally.Add(Kmem("web-01", ("x", 1, ulong.MaxValue)));
        tally.Add(Kmem("web-01", ("x", 0, 1)));

        var host = Assert.Single(Take(tally).Hosts);

        Assert.Equal((ulong.MaxValue, ulong.MaxValue), (host.TotalOf(ProbeCatalogue.Allocs), host.TotalOf(ProbeCatalogue.Frees)));
        // The next interval starts from nothing.
        Assert.Equal(0UL, Assert.Single(Take(tally).Hosts).TotalOf(ProbeCatalogue.Allocs));
    }

    [Fact]
    public void Add_BusiestKeyPastLongMax_ChosenByItsUnsignedCount()
    {
        var tally = new FleetTally();
        tally.Add(Kmem("web-01", ("small", 7, 0), ("huge", 18_000_000_000_000_000_000, 0)));

        Assert.Equal("huge", Assert.Single(Take(tally).Hosts).TopKeyOf(ProbeCatalogue.Kmem));
    }

    [Fact]
    public void Add_SnapshotsFromAnotherServer_SummedWithThisServersOwn()
    {
        var tally = new FleetTally();
        tally.Add(Kmem("web-01", ("dentry", 10, 4)));
        tally.Add(new LiveSnapshot("web-01", "kmem", 2, Now, 1000, Now, Now, [LiveRow.Of(ProbeCatalogue.Kmem, "dentry", [5, 1]), LiveRow.Of(ProbeCatalogue.Kmem, "kmalloc-64", [20, 2])]));
        tally.Add(new LiveSnapshot("web-01", "pagefaults", 2, Now, 1000, Now, Now, [LiveRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [7]), LiveRow.Of(ProbeCatalogue.PageFaults, "ld.so", [9])]));

        var host = Assert.Single(Take(tally).Hosts);

        Assert.Equal((16UL, 35UL, 7UL), (host.TotalOf(ProbeCatalogue.Faults), host.TotalOf(ProbeCatalogue.Allocs), host.TotalOf(ProbeCatalogue.Frees)));
        Assert.Equal(("ld.so", "kmalloc-64"), (host.TopKeyOf(ProbeCatalogue.PageFaults), host.TopKeyOf(ProbeCatalogue.Kmem)));
        Assert.Equal(Now, host.LastSnapshot);
    }

    [Fact]
    public void Add_UnnamedKeysBusiest_BusiestNamedKeyBesideThem()
    {
        var tally = new FleetTally();
        tally.Add(PageFaults("web-01", ("???", 9000), ("(other)", 800), ("[ anon ]", 700), ("ld.so", 30), ("libc.so.6", 40)));

        var host = Assert.Single(Take(tally).Hosts);

        Assert.Equal(("???", "libc.so.6"), (host.TopKeyOf(ProbeCatalogue.PageFaults), host.TopNamedKeyOf(ProbeCatalogue.PageFaults)));
    }

    [Fact]
    public void Add_LaterSnapshotOfUnnamedKeysOnly_NoNamedKeyLeftFromTheEarlierOne()
    {
        var tally = new FleetTally();
        tally.Add(PageFaults("web-01", ("???", 10), ("libc.so.6", 40)));
        tally.Add(PageFaults("web-01", ("???", 10)));

        var host = Assert.Single(Take(tally).Hosts);

        Assert.Equal(("???", null), (host.TopKeyOf(ProbeCatalogue.PageFaults), host.TopNamedKeyOf(ProbeCatalogue.PageFaults)));
    }

    [Fact]
    public void Add_NamedKeyBusiest_TheSameKeyInBothFields()
    {
        var tally = new FleetTally();
        tally.Add(Kmem("web-01", ("dentry", 10, 4), ("kmalloc-64", 3, 3)));

        var host = Assert.Single(Take(tally).Hosts);

        Assert.Equal(("dentry", "dentry"), (host.TopKeyOf(ProbeCatalogue.Kmem), host.TopNamedKeyOf(ProbeCatalogue.Kmem)));
    }

    private static FleetSecond Take(FleetTally tally) => tally.Take([], _ => true, Now, 1000, TimeSpan.FromSeconds(3));

    private static CommittedSnapshot PageFaults(string host, params (string Key, ulong Faults)[] rows)
    {
        var snapshot = new Snapshot { Sequence = 1, Probe = "pagefaults", StartUnixMs = 1_795_672_800_000, DurationMs = 1000 };
        snapshot.Rows.AddRange(rows.Select(r => new Row { Key = r.Key, Values = { r.Faults } }));
        return new CommittedSnapshot(new PendingSnapshot(1, 1, snapshot) { HostName = host }, Now);
    }

    private static CommittedSnapshot Kmem(string host, params (string Key, ulong Allocs, ulong Frees)[] rows)
    {
        var snapshot = new Snapshot { Sequence = 1, Probe = "kmem", StartUnixMs = 1_795_672_800_000, DurationMs = 1000 };
        foreach (var (key, allocs, frees) in rows)
        {
            var row = new Row { Key = key };
            row.Values.Add(allocs);
            row.Values.Add(frees);
            snapshot.Rows.Add(row);
        }

        return new CommittedSnapshot(new PendingSnapshot(1, 1, snapshot) { HostName = host }, Now);
    }
}
