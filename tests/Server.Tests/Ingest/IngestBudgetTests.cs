using Microsoft.Extensions.Options;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

public sealed class IngestBudgetTests
{
    private const long Capacity = 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static IngestBudget Budget() => new(Options.Create(new LimitsOptions { MaxInFlightMb = 1 }));

    [Fact]
    public async Task TakeAsync_WithinCapacity_GrantedAtOnce()
    {
        var budget = Budget();

        var first = budget.TakeAsync(Capacity / 2, CancellationToken.None);
        var second = budget.TakeAsync(Capacity / 2, CancellationToken.None);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(Capacity, budget.InFlightBytes);
        (await first.WaitAsync(Timeout)).Dispose();
        (await second.WaitAsync(Timeout)).Dispose();
        Assert.Equal(0, budget.InFlightBytes);
    }

    [Fact]
    public async Task TakeAsync_WouldExceed_WaitsUntilALeaseIsDisposed()
    {
        var budget = Budget();
        var held = await budget.TakeAsync(Capacity * 3 / 4, CancellationToken.None).WaitAsync(Timeout);

        var waiting = budget.TakeAsync(Capacity / 2, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        held.Dispose();
        using var granted = await waiting.WaitAsync(Timeout);

        Assert.Equal(Capacity / 2, budget.InFlightBytes);
    }

    [Fact]
    public async Task TakeAsync_SmallRequestBehindABigWaiter_QueuesInsteadOfJumpingAhead()
    {
        var budget = Budget();
        var held = await budget.TakeAsync(Capacity * 9 / 10, CancellationToken.None).WaitAsync(Timeout);
        var big = budget.TakeAsync(Capacity / 2, CancellationToken.None);

        // It would fit in what is left, but the big one asked first.
        var small = budget.TakeAsync(Capacity / 20, CancellationToken.None);
        Assert.False(small.IsCompleted);

        held.Dispose();
        using var bigLease = await big.WaitAsync(Timeout);
        using var smallLease = await small.WaitAsync(Timeout);
    }

    [Fact]
    public async Task TakeAsync_SeveralWaiters_GrantedInArrivalOrder()
    {
        var budget = Budget();
        var held = await budget.TakeAsync(Capacity, CancellationToken.None).WaitAsync(Timeout);
        var first = budget.TakeAsync(Capacity * 7 / 10, CancellationToken.None);
        var second = budget.TakeAsync(Capacity * 6 / 10, CancellationToken.None);
        var third = budget.TakeAsync(Capacity * 3 / 10, CancellationToken.None);

        held.Dispose();
        var firstLease = await first.WaitAsync(Timeout);

        // The third would fit beside the first, but it stays behind the second.
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        firstLease.Dispose();
        using var secondLease = await second.WaitAsync(Timeout);
        using var thirdLease = await third.WaitAsync(Timeout);
        Assert.Equal((Capacity * 6 / 10) + (Capacity * 3 / 10), budget.InFlightBytes);
    }

    [Fact]
    public async Task TakeAsync_WaiterCancelled_LeaksNoCapacityAndIsSkipped()
    {
        var budget = Budget();
        var held = await budget.TakeAsync(Capacity, CancellationToken.None).WaitAsync(Timeout);
        using var cancel = new CancellationTokenSource();
        var cancelled = budget.TakeAsync(Capacity, cancel.Token);
        var next = budget.TakeAsync(Capacity / 2, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));

        held.Dispose();
        (await next.WaitAsync(Timeout)).Dispose();
        Assert.Equal(0, budget.InFlightBytes);
    }

    [Fact]
    public async Task TakeAsync_CancelledWhileBeingGranted_LeaksNoCapacity()
    {
        // Cancellation and release race on purpose: whichever wins, the room must come back.
        var budget = Budget();
        for (var round = 0; round < 200; round++)
        {
            var held = await budget.TakeAsync(Capacity, CancellationToken.None).WaitAsync(Timeout);
            using var cancel = new CancellationTokenSource();
            var waiting = budget.TakeAsync(Capacity / 2, cancel.Token);

            await Task.WhenAll(Task.Run(cancel.Cancel), Task.Run(held.Dispose)).WaitAsync(Timeout);
            try
            {
                (await waiting.WaitAsync(Timeout)).Dispose();
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
            }

            Assert.Equal(0, budget.InFlightBytes);
        }
    }

    [Fact]
    public async Task TakeAsync_BiggerThanTheWholeBudget_GoesThroughAlone()
    {
        var budget = Budget();
        var small = await budget.TakeAsync(1000, CancellationToken.None).WaitAsync(Timeout);

        var huge = budget.TakeAsync(Capacity * 5, CancellationToken.None);
        Assert.False(huge.IsCompleted);

        small.Dispose();
        var hugeLease = await huge.WaitAsync(Timeout);
        var after = budget.TakeAsync(1000, CancellationToken.None);
        Assert.False(after.IsCompleted);

        hugeLease.Dispose();
        (await after.WaitAsync(Timeout)).Dispose();
        Assert.Equal(0, budget.InFlightBytes);
    }

    [Fact]
    public async Task Dispose_Twice_GivesTheRoomBackOnce()
    {
        var budget = Budget();
        var first = await budget.TakeAsync(Capacity / 2, CancellationToken.None).WaitAsync(Timeout);
        using var second = await budget.TakeAsync(Capacity / 2, CancellationToken.None).WaitAsync(Timeout);

        first.Dispose();
        first.Dispose();

        Assert.Equal(Capacity / 2, budget.InFlightBytes);
    }
}
