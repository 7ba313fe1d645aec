using Microsoft.Extensions.Time.Testing;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

/// <summary>Refusals at the headers cost a stranger nothing; the log lines they cause are paced and the rest counted.</summary>
public sealed class RefusalLogPaceTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryLog_AFloodOfRefusals_BurstLoggedThenOneASecondSayingHowManyWereLeftOut()
    {
        var pace = new RefusalLogPace(_time);

        var logged = Enumerable.Range(0, 1000).Count(_ => pace.TryLog(out long _));
        _time.Advance(TimeSpan.FromSeconds(1));
        var next = pace.TryLog(out var skipped);

        Assert.Equal(RefusalLogPace.Burst, logged);
        Assert.True(next);
        Assert.Equal(1000 - RefusalLogPace.Burst, skipped);
        Assert.False(pace.TryLog(out _));
    }
}
