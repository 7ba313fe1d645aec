using Tracefleet.Agent.Uplink;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Tests.Uplink;

public class OutboxTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static Snapshot NewSnapshot(string probe = "pagefaults") => new() { Probe = probe };

    private static List<ulong> TakeAll(Outbox outbox, int window = int.MaxValue)
    {
        var taken = new List<ulong>();
        while (outbox.TryTakeNext(window, out var snapshot))
        {
            taken.Add(snapshot.Sequence);
        }

        return taken;
    }

    [Fact]
    public void Add_ThreeSnapshots_NumberedFromOne()
    {
        var outbox = new Outbox(7, 10);

        var numbers = Enumerable.Range(0, 3).Select(_ => outbox.Add(NewSnapshot()).Sequence).ToList();

        Assert.Equal([1UL, 2UL, 3UL], numbers);
        Assert.Equal(3, outbox.Count);
    }

    [Fact]
    public void Constructor_ZeroEpochOrCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Outbox(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Outbox(1, 0));
    }

    [Fact]
    public void TryTakeNext_WindowFull_RefusesUntilAcknowledged()
    {
        var outbox = new Outbox(1, 10);
        for (var i = 0; i < 5; i++)
        {
            outbox.Add(NewSnapshot());
        }

        Assert.Equal([1UL, 2UL], TakeAll(outbox, window: 2));

        outbox.Acknowledge([1]);

        Assert.Equal([3UL], TakeAll(outbox, window: 2));
    }

    [Fact]
    public void Acknowledge_InFlightAndUnknown_RemovesOnlyKnownAndCountsThem()
    {
        var outbox = new Outbox(1, 10);
        outbox.Add(NewSnapshot());
        outbox.Add(NewSnapshot());
        TakeAll(outbox);

        outbox.Acknowledge([1, 99]);

        Assert.Equal(1, outbox.Count);
        Assert.Equal(1, outbox.Acknowledged);
    }

    [Fact]
    public void Rewind_AfterPartialAcknowledgement_ResendsTheRestOldestFirst()
    {
        var outbox = new Outbox(1, 10);
        for (var i = 0; i < 4; i++)
        {
            outbox.Add(NewSnapshot());
        }

        Assert.Equal([1UL, 2UL, 3UL], TakeAll(outbox, window: 3));
        outbox.Acknowledge([2]);

        outbox.Rewind();

        Assert.Equal([1UL, 3UL, 4UL], TakeAll(outbox));
    }

    [Fact]
    public async Task Drained_AllAcknowledgedButNotCompleted_StaysPendingUntilComplete()
    {
        var outbox = new Outbox(1, 10);
        outbox.Add(NewSnapshot());
        TakeAll(outbox);
        outbox.Acknowledge([1]);

        Assert.False(outbox.Drained.IsCompleted);

        outbox.Complete();

        await outbox.Drained.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Drained_CompletedWithSnapshotsOutstanding_CompletesOnTheLastAcknowledgement()
    {
        var outbox = new Outbox(1, 10);
        outbox.Add(NewSnapshot());
        outbox.Add(NewSnapshot());
        outbox.Complete();
        TakeAll(outbox);

        outbox.Acknowledge([1]);
        Assert.False(outbox.Drained.IsCompleted);

        outbox.Acknowledge([2]);
        await outbox.Drained.WaitAsync(Timeout);
    }

    [Fact]
    public void Add_WhenFull_DropsTheOldestAndCountsIt()
    {
        var outbox = new Outbox(1, 2);

        for (var i = 0; i < 5; i++)
        {
            outbox.Add(NewSnapshot());
        }

        Assert.Equal(3, outbox.Dropped);
        Assert.Equal(2, outbox.Count);
        Assert.Equal([4UL, 5UL], TakeAll(outbox));
    }

    [Fact]
    public void Add_WhenFullWithOldestInFlight_DropsTheInFlightOne()
    {
        var outbox = new Outbox(1, 2);
        outbox.Add(NewSnapshot());
        TakeAll(outbox);
        outbox.Add(NewSnapshot());

        outbox.Add(NewSnapshot());

        Assert.Equal(1, outbox.Dropped);
        outbox.Rewind();
        Assert.Equal([2UL, 3UL], TakeAll(outbox));
    }

    [Fact]
    public async Task AddAsync_WhenFull_WaitsForRoomInsteadOfDropping()
    {
        var outbox = new Outbox(1, 1);
        await outbox.AddAsync(NewSnapshot(), CancellationToken.None).WaitAsync(Timeout);

        var waiting = outbox.AddAsync(NewSnapshot("kmem"), CancellationToken.None);

        // Nothing but an acknowledgement makes room: until then the second snapshot is neither added nor dropped.
        Assert.False(waiting.IsCompleted);
        Assert.Equal([1UL], TakeAll(outbox));
        Assert.Equal(0, outbox.Dropped);
        outbox.Acknowledge([1]);
        var added = await waiting.WaitAsync(Timeout);

        Assert.Equal(2UL, added.Sequence);
        Assert.Equal(0, outbox.Dropped);
        Assert.Equal(1, outbox.Count);
    }

    [Fact]
    public async Task AddAsync_WhenFullAndCancelled_Throws()
    {
        var outbox = new Outbox(1, 1);
        outbox.Add(NewSnapshot());
        using var cancel = new CancellationTokenSource();
        var waiting = outbox.AddAsync(NewSnapshot(), cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Timeout));
        Assert.Equal(1, outbox.Count);
    }

    [Fact]
    public async Task NextChange_OnAdd_Completes()
    {
        var outbox = new Outbox(1, 10);
        var change = outbox.NextChange();
        Assert.False(change.IsCompleted);

        outbox.Add(NewSnapshot());

        await change.WaitAsync(Timeout);
    }
}
