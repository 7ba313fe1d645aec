using Microsoft.Extensions.Options;
using Tracefleet.Server.History.Queries;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Live;

/// <summary>
/// Once per <see cref="LiveOptions.FleetIntervalMs"/>, posts the fleet summary to the connections that joined the fleet.
/// The list of known hosts is re-read from the store every few seconds, not every tick.
/// </summary>
public sealed partial class FleetBroadcaster(
    FleetTally tally, AgentSessions sessions, IServiceScopeFactory scopes, LiveAudience audience,
    IOptions<LiveOptions> options, TimeProvider time, ILogger<FleetBroadcaster> logger) : BackgroundService
{
    private IReadOnlyList<string> _known = [];
    private DateTime _knownAt = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.FleetIntervalMs;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(interval), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    var known = await KnownHostsAsync(now, stoppingToken).ConfigureAwait(false);
                    var fleet = tally.Take(known, sessions.IsOnline, now, interval, TimeSpan.FromMilliseconds(options.Value.ReportingWindowMs));
                    audience.Post(fleet);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed tick (the store busy) is skipped; the next one carries on.
                    LogTickFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task<IReadOnlyList<string>> KnownHostsAsync(DateTime now, CancellationToken cancellationToken)
    {
        if (now - _knownAt < TimeSpan.FromMilliseconds(options.Value.HostListRefreshMs))
        {
            return _known;
        }

        await using var scope = scopes.CreateAsyncScope();
        _known = await scope.ServiceProvider.GetRequiredService<HistoryQueries>().HostNamesAsync(cancellationToken).ConfigureAwait(false);
        _knownAt = now;
        return _known;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A fleet summary tick failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
