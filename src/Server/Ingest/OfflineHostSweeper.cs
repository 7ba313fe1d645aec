using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Forgets what the server keeps in memory about a host (its probes' last statuses, its clock offset, its session entry)
/// once its agents have been disconnected for <c>Limits:OfflineHostStateSeconds</c>: memory follows the hosts of late,
/// not every host ever seen. The host and its history stay in the store; its agent reports afresh when it reconnects.
/// </summary>
public sealed class OfflineHostSweeper(AgentSessions sessions, ProbeStatusRegistry statuses, ClockOffsets clocks, IOptions<LimitsOptions> limits, TimeProvider time)
    : BackgroundService
{
    /// <summary>Forgets the hosts offline for longer than the limit now; returns them.</summary>
    public IReadOnlyList<string> SweepOnce()
    {
        var forgotten = sessions.ForgetOffline(TimeSpan.FromSeconds(limits.Value.OfflineHostStateSeconds));
        foreach (var host in forgotten)
        {
            statuses.Forget(host);
            clocks.Forget(host);
        }

        return forgotten;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A tenth of the limit, at most a minute: a host is forgotten at most 10 % late.
        var period = TimeSpan.FromSeconds(Math.Clamp(limits.Value.OfflineHostStateSeconds / 10.0, 1, 60));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                SweepOnce();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
