using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Services;

public sealed class PausableFeedTests
{
    private static readonly DateTime At = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);
    private readonly FakeLiveFeed _inner = new();
    private readonly LivePause _pause = new();

    [Fact]
    public void Resume_FleetSecondsWhilePaused_NoneWhilePausedThenOnlyTheLatest()
    {
        using var feed = new PausableFeed(_inner, _pause);
        var seen = new List<FleetSecond>();
        feed.FleetReceived += seen.Add;

        _pause.Pause();
        for (var i = 0; i < 5; i++)
        {
            _inner.Push(new FleetSecond(At.AddSeconds(i), 1000, 1, 1, []));
        }

        Assert.Empty(seen);
        Assert.Equal(1, feed.Held);

        _pause.Resume();

        Assert.Equal([At.AddSeconds(4)], seen.Select(s => s.At));
        Assert.Equal(0, feed.Held);
    }

    [Fact]
    public void Resume_SnapshotsOfTwoProbes_TheLatestOfEachPassedOn()
    {
        using var feed = new PausableFeed(_inner, _pause);
        var seen = new List<LiveSnapshot>();
        feed.SnapshotReceived += seen.Add;

        _pause.Pause();
        _inner.Push(Snapshot("web-01", "pagefaults", 1));
        _inner.Push(Snapshot("web-01", "kmem", 2));
        _inner.Push(Snapshot("web-01", "pagefaults", 3));
        Assert.Empty(seen);
        _pause.Resume();

        Assert.Equal([("kmem", 2UL), ("pagefaults", 3UL)], seen.Select(s => (s.Probe, s.Sequence)).Order());
    }

    [Fact]
    public void Push_ManyHostsWhilePaused_HeldStaysBounded()
    {
        using var feed = new PausableFeed(_inner, _pause);
        var seen = new List<LiveSnapshot>();
        feed.SnapshotReceived += seen.Add;

        _pause.Pause();
        for (var i = 0; i < PausableFeed.MaxHeld * 4; i++)
        {
            _inner.Push(Snapshot($"host-{i}", "pagefaults", (ulong)i));
            _inner.Push(new LiveAlert(At, "r", $"host-{i}", "k", "pending", "firing", 1, "warning", Notified: false, Silenced: false));
        }

        Assert.Equal(2 * PausableFeed.MaxHeld, feed.Held);
        _pause.Resume();
        Assert.Equal(PausableFeed.MaxHeld, seen.Count);
    }

    [Fact]
    public void Push_NotPaused_PassedOnAtOnceAndNothingHeld()
    {
        using var feed = new PausableFeed(_inner, _pause);
        var alerts = new List<LiveAlert>();
        var states = 0;
        feed.AlertReceived += alerts.Add;
        feed.StateChanged += () => states++;

        _inner.Push(new LiveAlert(At, "r", "web-01", "k", "pending", "firing", 1, "warning", Notified: false, Silenced: false));
        _pause.Pause();
        _inner.Changed();

        Assert.Single(alerts);
        Assert.Equal(1, states);
        Assert.Equal(0, feed.Held);
    }

    private static LiveSnapshot Snapshot(string host, string probe, ulong sequence) => new(host, probe, sequence, At, 1000, At, At, []);
}
