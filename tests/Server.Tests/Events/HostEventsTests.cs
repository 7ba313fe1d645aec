using Microsoft.Extensions.Time.Testing;
using Tracefleet.Contract.V1;
using Tracefleet.Server.Events;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Tests.Events;

/// <summary>
/// A flapping agent cannot write unbounded events: per host and subject, a second's events past the allowance are
/// counted, not queued, except the latest, queued once its second has passed, so the last state stored is the last state.
/// </summary>
public sealed class HostEventsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, 250, TimeSpan.Zero));

    [Fact]
    public void Record_FlappingPastTheAllowance_FirstOnesQueuedTheLatestWhenItsSecondPassesTheRestCounted()
    {
        var events = new HostEvents(_time);
        // r, d, r, d, r, d, r: the agent ends the second connected.
        for (var i = 0; i < 7; i++)
        {
            events.Record("flappy", i % 2 == 0 ? HostEventKinds.Reconnected : HostEventKinds.Disconnected);
        }

        events.Record("calm", HostEventKinds.Connected);
        var inTheSecond = Drain(events);
        events.QueueDue();
        var stillInIt = Drain(events);
        _time.Advance(TimeSpan.FromSeconds(1));
        events.QueueDue();
        var afterIt = Drain(events);

        Assert.Equal([HostEventKinds.Reconnected, HostEventKinds.Disconnected], inTheSecond.Where(e => e.Host == "flappy").Select(e => e.Kind));
        Assert.Single(inTheSecond, e => e.Host == "calm");
        Assert.Empty(stillInIt);
        Assert.Equal(HostEventKinds.Reconnected, Assert.Single(afterIt).Kind);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, 250, TimeSpan.Zero).ToUnixTimeMilliseconds(), afterIt[0].AtUnixMs);
        Assert.Equal(4, events.Coalesced);
    }

    [Fact]
    public void Record_ConnectionAndFourProbesFailingInOneSecond_EveryOneQueued()
    {
        var events = new HostEvents(_time);

        events.Record("web-01", HostEventKinds.Connected);
        foreach (var probe in new[] { "pagefaults", "kmem", "syscalls", "blockio" })
        {
            events.Record("web-01", HostEventKinds.Probe, probe, "failed · exit 1");
        }

        Assert.Equal(5, Drain(events).Count);
        Assert.Equal(0, events.Coalesced);
    }

    [Fact]
    public void Record_HeldEventThenTheSubjectsNextSecond_HeldOneQueuedFirst()
    {
        var events = new HostEvents(_time);
        for (var i = 0; i < 3; i++)
        {
            events.Record("web-01", HostEventKinds.Probe, "kmem", $"state {i}");
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        events.Record("web-01", HostEventKinds.Probe, "kmem", "state 3");

        Assert.Equal(["state 0", "state 1", "state 2", "state 3"], Drain(events).Select(e => e.Detail));
    }

    [Fact]
    public void Record_PastTheQueuesCapacity_CountedAsDropped()
    {
        var events = new HostEvents(_time);
        for (var i = 0; i < HostEvents.QueueCapacity + 3; i++)
        {
            events.Record($"host-{i}", HostEventKinds.Connected);
        }

        Assert.Equal(3, events.Dropped);
        Assert.Equal(HostEvents.QueueCapacity, Drain(events).Count);
    }

    [Fact]
    public void Record_LongDetail_CutToTheLimit()
    {
        var events = new HostEvents(_time);

        events.Record("web-01", HostEventKinds.Probe, "pagefaults", new string('x', HostEventKinds.MaxDetailLength * 2));

        Assert.Equal(HostEventKinds.MaxDetailLength, Assert.Single(Drain(events)).Detail.Length);
    }

    [Theory]
    [InlineData(null, "running", 0u, 0u, null)]
    [InlineData(null, "failed", 0u, 0u, "failed · exit 1")]
    [InlineData("running", "running", 0u, 0u, null)]
    [InlineData("running", "failed", 0u, 0u, "failed · exit 1")]
    [InlineData("running", "running", 1u, 2u, "running · 2 restarts · exit 1")]
    public void Describe_StatusAfterAnother_EventOnlyForAChangeOfStateOrARestart(string? before, string now, uint restartsBefore, uint restartsNow, string? expected)
    {
        var previous = before is null ? null : new ProbeStatus { Probe = "kmem", State = before, Restarts = restartsBefore };
        var status = new ProbeStatus { Probe = "kmem", State = now, Restarts = restartsNow, LastError = "exit 1" };

        Assert.Equal(expected, ProbeChange.Describe(previous, status));
    }

    private static List<HostEventRecord> Drain(HostEvents events)
    {
        var drained = new List<HostEventRecord>();
        while (events.Queue.TryRead(out var record))
        {
            drained.Add(record);
        }

        return drained;
    }
}
