using Microsoft.Extensions.Options;
using Tracefleet.Server.Alerts.Notify;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>The evaluator's side of the queue: never waits; past the capacity a notice is dropped and counted once.</summary>
public sealed class AlertNotifierTests
{
    [Fact]
    public void Notify_QueueFull_DropsAndCountsTheRestKeepsTheFirst()
    {
        var notifier = new AlertNotifier(Options.Create(new AlertNotifyOptions { QueueCapacity = 3 }));

        for (var i = 0; i < 10; i++)
        {
            notifier.Notify(Notices.Firing($"f{i}"));
        }

        Assert.Equal(3, notifier.Count);
        Assert.Equal(7, notifier.Dropped);
        Assert.Equal(7, notifier.TakeUnreportedDrops());
        Assert.Equal(0, notifier.TakeUnreportedDrops());
        var kept = new List<string>();
        while (notifier.Reader.TryRead(out var notice))
        {
            kept.Add(notice.Fingerprint);
        }

        Assert.Equal(["f0", "f1", "f2"], kept);
        Assert.Equal(7, notifier.Dropped);
    }

    [Fact]
    public void Notify_AfterTheQueueDrained_TakenAgain()
    {
        var notifier = new AlertNotifier(Options.Create(new AlertNotifyOptions { QueueCapacity = 1 }));
        notifier.Notify(Notices.Firing("f0"));
        notifier.Notify(Notices.Firing("f1"));
        Assert.True(notifier.Reader.TryRead(out _));

        notifier.Notify(Notices.Firing("f2"));

        Assert.True(notifier.Reader.TryRead(out var next));
        Assert.Equal("f2", next.Fingerprint);
        Assert.Equal(1, notifier.Dropped);
    }
}
