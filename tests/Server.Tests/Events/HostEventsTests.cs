using Microsoft.Extensions.Time.Testing;
using Tracefleet.Contract.V1;
using Tracefleet.Server.Events;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Tests.Events;

/// <summary>A flapping agent cannot write unbounded events: a host's events beyond the second's allowance are counted, not queued.</summary>
public sealed class HostEventsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, 250, TimeSpan.Zero));

    [Fact]
    public void Record_MoreThanTheAllowanceInOneSecond_RestCoalescedAndNextSecondAdmitted()
    {
        var events = new HostEvents(_time);
        for (var i = 0; i < 3 * HostEvents.MaxPerHostPerSecond; i++)
        {
            events.Record("flappy", i % 2 == 0 ? HostEventKinds.Reconnected : HostEventKinds.Disconnected);
        }

        events.Record("calm", HostEventKinds.Connected);
        _time.Advance(TimeSpan.FromSeconds(1));
        events.Record("flappy", HostEventKinds.Reconnected);

        var queued = Drain(events);
        Assert.Equal(HostEvents.MaxPerHostPerSecond + 1, queued.Count(e => e.Host == "flappy"));
        Assert.Single(queued, e => e.Host == "calm");
        Assert.Equal(2 * HostEvents.MaxPerHostPerSecond, events.Coalesced);
        Assert.Equal(0, events.Dropped);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), queued[^1].AtUnixMs);
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
