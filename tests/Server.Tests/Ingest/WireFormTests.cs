using Tracefleet.Contract.Probes;
using Tracefleet.Contract.V1;
using Tracefleet.Server.History;
using Tracefleet.Server.Ingest;
using Tracefleet.Server.Live;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.Ingest;

/// <summary>
/// The same table sent in the columnar form (agents of this version) and in the row form (older agents): one digest, so a
/// resend in either form is recognised against one stored in the other, and the same live rows and fleet totals.
/// </summary>
public sealed class WireFormTests
{
    private static readonly DateTime Now = new(2026, 11, 30, 18, 0, 0, DateTimeKind.Utc);

    private static Snapshot Kmem(params (string Key, ulong Allocs, ulong Frees)[] rows)
    {
        var snapshot = new Snapshot { Sequence = 3, Probe = "kmem", StartUnixMs = 1_795_672_800_000, DurationMs = 1000, MalformedLines = 2 };
        foreach (var (key, allocs, frees) in rows)
        {
            snapshot.Keys.Add(key);
            snapshot.Values.Add([allocs, frees]);
        }

        return snapshot;
    }

    private static Snapshot Sample() => Kmem(("dentry", 5, 3), ("filp", 9, 0), ("(other)", 1, 1));

    [Fact]
    public void Of_SameTableEitherForm_SameDigest() =>
        Assert.Equal(SnapshotDigest.Of(Sample()), SnapshotDigest.Of(WireForms.As(Sample(), rowForm: true)));

    [Fact]
    public void Of_RowFormMovedToColumnar_DigestUnchanged()
    {
        var rows = WireForms.As(Sample(), rowForm: true);
        var before = SnapshotDigest.Of(rows);

        var pending = new PendingSnapshot(1, 1, rows);

        Assert.Empty(pending.Snapshot.Rows);
        Assert.Equal(before, SnapshotDigest.Of(pending.Snapshot));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Of_AnotherValueOrKeyOrder_AnotherDigestInEitherForm(bool rowForm)
    {
        var digest = SnapshotDigest.Of(Sample());

        Assert.NotEqual(digest, SnapshotDigest.Of(WireForms.As(Kmem(("dentry", 5, 3), ("filp", 9, 1), ("(other)", 1, 1)), rowForm)));
        Assert.NotEqual(digest, SnapshotDigest.Of(WireForms.As(Kmem(("filp", 9, 0), ("dentry", 5, 3), ("(other)", 1, 1)), rowForm)));
    }

    [Fact]
    public void From_EitherForm_SameLiveRowsInTheAgentsOrder()
    {
        var columnar = LiveSnapshots.From(Committed(Sample()));
        var rows = LiveSnapshots.From(Committed(WireForms.As(Sample(), rowForm: true)));

        Assert.Equal(["dentry", "filp", "(other)"], columnar.Rows.Select(r => r.Key));
        Assert.Equal([5UL, 3UL], columnar.Rows[0].ValuesOf(ProbeCatalogue.Kmem));
        Assert.Equal(columnar.Rows, rows.Rows);
    }

    [Fact]
    public void Add_EitherForm_SameFleetTotalsAndTopKeys()
    {
        var columnar = new FleetTally();
        var rows = new FleetTally();

        columnar.Add(Committed(Sample()));
        rows.Add(Committed(WireForms.As(Sample(), rowForm: true)));

        var fromColumnar = Assert.Single(Take(columnar).Hosts);
        var fromRows = Assert.Single(Take(rows).Hosts);
        Assert.Equal((15UL, 4UL, "filp"), (fromColumnar.TotalOf(ProbeCatalogue.Allocs), fromColumnar.TotalOf(ProbeCatalogue.Frees), fromColumnar.TopKeyOf(ProbeCatalogue.Kmem)));
        Assert.Equal(fromColumnar, fromRows);
    }

    private static CommittedSnapshot Committed(Snapshot snapshot) => new(new PendingSnapshot(1, 1, snapshot) { HostName = "web-01" }, Now);

    private static FleetSecond Take(FleetTally tally) => tally.Take([], _ => true, Now, 1000, TimeSpan.FromSeconds(3));
}
