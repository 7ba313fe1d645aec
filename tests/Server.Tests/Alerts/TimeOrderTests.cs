using Tracefleet.Server.Alerts;

namespace Tracefleet.Server.Tests.Alerts;

public sealed class TimeOrderTests
{
    private readonly List<long> _released = [];
    private readonly TimeOrder _order;

    public TimeOrderTests() => _order = new TimeOrder(held => _released.Add(held.StartUnixMs / 1000));

    private void Arrive(long second, long nowMs) => _order.Add(new Held("web-01", "pagefaults", second * 1000, 1000, [], [], Late: false), nowMs);

    [Fact]
    public void Add_LiveSnapshotsEachContinuingTheLast_AreReleasedAtOnce()
    {
        Arrive(100, 0);
        _order.Tick(TimeOrder.HoldMs);
        Arrive(101, 1_600);
        Arrive(102, 1_700);
        Assert.Equal([100L, 101, 102], _released);
    }

    [Fact]
    public void Add_NewestFirstWithTheBacklogAround_IsReleasedInTimeOrder()
    {
        // How an agent back from an outage sends: newest, oldest, next newest, next oldest…
        foreach (var second in new long[] { 10, 1, 9, 2, 8, 3, 7, 4, 6, 5 })
        {
            Arrive(second, 0);
        }

        Assert.Empty(_released);
        _order.Tick(TimeOrder.HoldMs);
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8, 9, 10], _released);
        Assert.Equal(0, _order.Held);
    }

    [Fact]
    public void Tick_AGapThatDoesNotFill_IsSkippedAfterTheHold()
    {
        Arrive(1, 0);
        _order.Tick(TimeOrder.HoldMs);
        Arrive(3, 2_000);
        _order.Tick(2_000 + TimeOrder.HoldMs - 1);
        Assert.Equal([1L], _released);

        _order.Tick(2_000 + TimeOrder.HoldMs);
        Assert.Equal([1L, 3], _released);
    }

    [Fact]
    public void Add_OlderThanOneReleased_IsCountedNotReleased()
    {
        Arrive(5, 0);
        _order.Tick(TimeOrder.HoldMs);
        Arrive(2, 2_000);
        Assert.Equal([5L], _released);
        Assert.Equal(1, _order.Stragglers);
    }

    [Fact]
    public void Add_MoreThanTheBound_ReleasesTheOldestAtOnce()
    {
        for (var second = 1; second <= TimeOrder.MaxHeld + 1; second++)
        {
            Arrive(second * 2, 0);
        }

        Assert.Equal([2L], _released);
        Assert.Equal(TimeOrder.MaxHeld, _order.Held);
    }
}
