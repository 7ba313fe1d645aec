using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tracefleet.Contract.V1;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

/// <summary>Per-host memory follows the hosts of late: a host offline past the limit is forgotten, an online one never.</summary>
public sealed class OfflineHostSweeperTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly IOptions<LimitsOptions> _limits = Options.Create(new LimitsOptions { OfflineHostStateSeconds = 3600 });
    private readonly AgentSessions _sessions;
    private readonly ProbeStatusRegistry _statuses = new();
    private readonly ClockOffsets _clocks;
    private readonly OfflineHostSweeper _sweeper;

    public OfflineHostSweeperTests()
    {
        _sessions = new AgentSessions(_time);
        _clocks = new ClockOffsets(_limits, _time, NullLogger<ClockOffsets>.Instance);
        _sweeper = new OfflineHostSweeper(_sessions, _statuses, _clocks, _limits, _time);
    }

    [Fact]
    public void SweepOnce_HostOfflineLongerThanTheLimit_StatusesClockAndSessionForgotten()
    {
        Report("gone");
        _sessions.Open("gone", out _).Dispose();
        _time.Advance(TimeSpan.FromSeconds(3601));

        Assert.Equal(["gone"], _sweeper.SweepOnce());
        Assert.Null(_statuses.Find("gone", "kmem"));
        Assert.Null(_clocks.Of("gone"));
        Assert.Empty(_statuses.All());
    }

    [Fact]
    public void SweepOnce_HostOfflineShorterThanTheLimitOrOnline_Kept()
    {
        Report("recent");
        _sessions.Open("recent", out _).Dispose();
        Report("online");
        using var online = _sessions.Open("online", out _);
        _time.Advance(TimeSpan.FromSeconds(3599));
        _sessions.Open("recent", out _).Dispose();
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Empty(_sweeper.SweepOnce());
        _time.Advance(TimeSpan.FromDays(10));
        Assert.Equal(["recent"], _sweeper.SweepOnce());
        Assert.NotNull(_statuses.Find("online", "kmem"));
        Assert.True(_sessions.IsOnline("online"));
    }

    [Fact]
    public void Declare_FewerProbesThanBefore_StatusesOfTheOthersGo()
    {
        Report("web-01");
        _statuses.Report("web-01", new ProbeStatus { Probe = "pagefaults", State = "running" });

        _statuses.Declare("web-01", ["pagefaults"]);

        Assert.Null(_statuses.Find("web-01", "kmem"));
        Assert.NotNull(_statuses.Find("web-01", "pagefaults"));
    }

    private void Report(string host)
    {
        _statuses.Report(host, new ProbeStatus { Probe = "kmem", State = "running" });
        _clocks.Observe(host, _time.GetUtcNow().ToUnixTimeMilliseconds());
    }
}
