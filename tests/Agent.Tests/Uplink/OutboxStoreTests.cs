using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tracefleet.Agent.Spool;
using Tracefleet.Agent.Tests.Support;
using Tracefleet.Agent.Uplink;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Tests.Uplink;

public sealed class OutboxStoreTests
{
    private static Snapshot NewSnapshot(string key = "libc.so.6") => new()
    {
        Probe = "pagefaults",
        StartUnixMs = 1_700_000_000_000,
        DurationMs = 1000,
        Rows = { new Row { Key = key, Values = { 1 } } },
    };

    private static List<Snapshot> TakeAll(Outbox outbox)
    {
        var taken = new List<Snapshot>();
        while (outbox.TryTakeNext(int.MaxValue, out var snapshot))
        {
            taken.Add(snapshot);
        }

        return taken;
    }

    [Fact]
    public void TryTakeNext_EverySnapshotTaken_IsInTheStore()
    {
        var store = new FakeSnapshotStore();
        var outbox = new Outbox(1, 100, store: store);
        for (var i = 0; i < 5; i++)
        {
            outbox.Add(NewSnapshot($"k{i}"));
        }

        var taken = TakeAll(outbox);

        Assert.Equal(5, taken.Count);
        Assert.All(taken, s => Assert.Equal(s, store.Saved[s.Sequence]));
    }

    [Fact]
    public void Add_StoreFailsToSave_NothingToSend()
    {
        var store = new FakeSnapshotStore { FailSaves = true };
        var outbox = new Outbox(1, 100, store: store);

        Assert.Throws<IOException>(() => outbox.Add(NewSnapshot()));

        Assert.False(outbox.TryTakeNext(int.MaxValue, out _));
        Assert.Equal(0, outbox.Count);
    }

    [Fact]
    public void Acknowledge_Taken_DeletesFromTheStore()
    {
        var store = new FakeSnapshotStore();
        var outbox = new Outbox(1, 100, store: store);
        for (var i = 0; i < 3; i++)
        {
            outbox.Add(NewSnapshot());
        }

        TakeAll(outbox);

        outbox.Acknowledge([1, 3]);

        Assert.Equal([1UL, 3UL], store.Deletes);
        Assert.Equal([2UL], store.Saved.Keys);
        Assert.Equal(2, outbox.Acknowledged);
    }

    [Fact]
    public void Restore_SpooledSnapshots_SentBeforeNewOnes()
    {
        var store = new FakeSnapshotStore();
        var outbox = new Outbox(1, 100, new SequenceFrom(100), store);
        var spooled = NewSnapshot("spooled");
        spooled.Sequence = 5;
        var alsoSpooled = NewSnapshot("spooled");
        alsoSpooled.Sequence = 6;

        outbox.Restore([spooled, alsoSpooled]);
        outbox.Add(NewSnapshot("live"));

        Assert.Equal([5UL, 6UL, 100UL], TakeAll(outbox).Select(s => s.Sequence));
    }

    [Fact]
    public void TryTakeNext_BeyondTheMemoryWindow_LoadsFromTheStore()
    {
        const int Extra = 10;
        var store = new FakeSnapshotStore();
        var outbox = new Outbox(1, Outbox.MemoryWindow + 100, store: store);
        for (var i = 1; i <= Outbox.MemoryWindow + Extra; i++)
        {
            outbox.Add(NewSnapshot($"k{i}"));
        }

        Assert.Empty(store.Loads);

        var taken = TakeAll(outbox);

        Assert.Equal(Outbox.MemoryWindow + Extra, taken.Count);
        Assert.Equal(Extra, store.Loads.Count);
        Assert.All(store.Loads, s => Assert.True(s > Outbox.MemoryWindow, $"{s} was within the memory window yet loaded"));
        Assert.All(taken, s => Assert.Equal($"k{s.Sequence}", s.Rows[0].Key));
    }

    [Fact]
    public void TryTakeNext_StoreLostASnapshot_CountsItDroppedAndSendsTheRest()
    {
        var store = new FakeSnapshotStore();
        var outbox = new Outbox(1, Outbox.MemoryWindow + 100, store: store);
        for (var i = 0; i < Outbox.MemoryWindow + 3; i++)
        {
            outbox.Add(NewSnapshot());
        }

        const ulong Lost = Outbox.MemoryWindow + 2;
        store.Saved.Remove(Lost);

        var taken = TakeAll(outbox).Select(s => s.Sequence).ToList();

        Assert.Equal(Outbox.MemoryWindow + 2, taken.Count);
        Assert.DoesNotContain(Lost, taken);
        Assert.Equal(1, outbox.Dropped);
        Assert.Equal(taken.Count, outbox.Count);
    }

    [Fact]
    public void TryTakeNext_BacklogPastInterleave_NewestGoesOutEarly()
    {
        var outbox = new Outbox(1, 1000);
        const int Backlog = Outbox.InterleaveBacklog + 36;
        for (var i = 0; i < Backlog; i++)
        {
            outbox.Add(NewSnapshot());
        }

        Assert.True(outbox.TryTakeNext(int.MaxValue, out var first));
        Assert.True(outbox.TryTakeNext(int.MaxValue, out var second));
        Assert.Equal<ulong>([1UL, Backlog], new List<ulong> { first.Sequence, second.Sequence }.Order());

        // A live snapshot made while the backlog drains is among the next two sent, not the last.
        var live = outbox.Add(NewSnapshot("live"));
        Assert.True(outbox.TryTakeNext(int.MaxValue, out var third));
        Assert.True(outbox.TryTakeNext(int.MaxValue, out var fourth));
        Assert.Contains(live.Sequence, new List<ulong> { third.Sequence, fourth.Sequence });

        var all = new List<Snapshot> { first, second, third, fourth }.Concat(TakeAll(outbox)).Select(s => s.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, Backlog + 1).Select(i => (ulong)i), all.Order());
    }

    [Fact]
    public void TryTakeNext_BacklogWithinInterleave_OldestFirst()
    {
        var outbox = new Outbox(1, 1000);
        for (var i = 0; i < Outbox.InterleaveBacklog; i++)
        {
            outbox.Add(NewSnapshot());
        }

        Assert.Equal(Enumerable.Range(1, Outbox.InterleaveBacklog).Select(i => (ulong)i), TakeAll(outbox).Select(s => s.Sequence));
    }

    [Fact]
    public void Reject_AfterARewind_ItsProbeStillNamedAndSetAside()
    {
        // A reconnect put the sent snapshots back among the unsent before the server's refusal of them was read.
        var store = new FakeSnapshotStore();
        var outbox = new Outbox(1, 100, store: store);
        outbox.Add(NewSnapshot());
        outbox.Add(NewSnapshot());
        TakeAll(outbox);
        outbox.Rewind();

        var refused = new List<string>();
        outbox.Reject([1, 2], "starts 3600 s ahead of the server's clock", refused.Add);

        Assert.Equal(["pagefaults", "pagefaults"], refused);
        Assert.Equal(2, outbox.Rejected);
        Assert.Equal(0, outbox.Count);
        Assert.Equal([1UL, 2UL], store.SetAsideWith.Keys);
    }

    [Fact]
    public void Reject_InFlight_SetAsideWithItsReasonNotAcknowledged()
    {
        var store = new FakeSnapshotStore();
        var outbox = new Outbox(1, 100, store: store);
        outbox.Add(NewSnapshot());
        outbox.Add(NewSnapshot());
        TakeAll(outbox);

        var refused = new List<string>();
        outbox.Reject([1], "starts 3600 s ahead of the server's clock", refused.Add);

        Assert.Equal(["pagefaults"], refused);
        Assert.Equal(0, outbox.Acknowledged);
        Assert.Equal(1, outbox.Rejected);
        Assert.Equal(0, outbox.Dropped);
        Assert.Equal(1, outbox.Count);
        Assert.Empty(store.Deletes);
        Assert.Equal("starts 3600 s ahead of the server's clock", store.SetAsideWith[1].Reason);
        Assert.False(store.Saved.ContainsKey(1));
        outbox.Rewind();
        Assert.Equal([2UL], TakeAll(outbox).Select(s => s.Sequence));
    }

    [Fact]
    public void Add_StoreDropsOlderSnapshots_LeaveTheOutboxCountedAsDropped()
    {
        var store = new FakeSnapshotStore(maxCount: 3);
        var outbox = new Outbox(1, 100, store: store);
        outbox.Add(NewSnapshot());
        Assert.True(outbox.TryTakeNext(int.MaxValue, out _));

        for (var i = 0; i < 4; i++)
        {
            outbox.Add(NewSnapshot());
        }

        Assert.Equal(2, outbox.Dropped);
        Assert.Equal(3, outbox.Count);
        outbox.Rewind();
        Assert.Equal([3UL, 4UL, 5UL], TakeAll(outbox).Select(s => s.Sequence));
    }

    [Fact]
    public void Acknowledge_WithARealSpool_OnlyTheUnacknowledgedSurviveARestart()
    {
        var directory = Directory.CreateTempSubdirectory("tracefleet-outbox-").FullName;
        try
        {
            var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
            var spool = new SnapshotSpool(directory, long.MaxValue, TimeSpan.FromDays(1), time, NullLogger.Instance);
            var outbox = new Outbox(1, 100, store: spool);
            for (var i = 0; i < 3; i++)
            {
                outbox.Add(NewSnapshot($"k{i}"));
            }

            TakeAll(outbox);
            outbox.Acknowledge([1, 2]);

            var restarted = new SnapshotSpool(directory, long.MaxValue, TimeSpan.FromDays(1), time, NullLogger.Instance);
            var next = new Outbox(1, 100, new SequenceFrom(restarted.NextAfterSpooled()), restarted);
            next.Restore(restarted.Recover());
            next.Add(NewSnapshot("after restart"));

            Assert.Equal([3UL, 4UL], TakeAll(next).Select(s => s.Sequence));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
