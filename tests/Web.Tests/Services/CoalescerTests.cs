namespace Tracefleet.Web.Tests.Services;

public sealed class CoalescerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RequestAsync_ManyWhileARunIsUnderWay_OneMoreRunAfterIt()
    {
        var runs = 0;
        var release = new TaskCompletionSource();
        var coalescer = new Coalescer(async () => { Interlocked.Increment(ref runs); await release.Task; }, TimeSpan.Zero);

        var first = coalescer.RequestAsync();
        for (var i = 0; i < 10; i++)
        {
            await coalescer.RequestAsync().WaitAsync(Patience);
        }

        Assert.Equal(1, runs);
        release.SetResult();
        await first.WaitAsync(Patience);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task RequestAsync_AfterTheLastRunEnded_RunsAgain()
    {
        var runs = 0;
        var coalescer = new Coalescer(() => { runs++; return Task.CompletedTask; }, TimeSpan.Zero);

        await coalescer.RequestAsync().WaitAsync(Patience);
        await coalescer.RequestAsync().WaitAsync(Patience);

        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task RequestAsync_ARunThrew_TheNextRequestStillRuns()
    {
        var runs = 0;
        var coalescer = new Coalescer(() => ++runs == 1 ? throw new InvalidOperationException("first run fails") : Task.CompletedTask, TimeSpan.Zero);

        await Assert.ThrowsAsync<InvalidOperationException>(() => coalescer.RequestAsync().WaitAsync(Patience));
        await coalescer.RequestAsync().WaitAsync(Patience);

        Assert.Equal(2, runs);
    }
}
