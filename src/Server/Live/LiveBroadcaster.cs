using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Live;

/// <summary>
/// Drains the live feed in batches and sends each snapshot to its host's group. It runs apart from
/// the writer: a slow browser can hold this loop up (SignalR awaits each connection's buffer), and
/// then the feed drops old snapshots instead of slowing ingest. Within one batch, a flood from one
/// host and probe is cut to its newest <see cref="LiveOptions.MaxSnapshotsPerHostPerFlush"/>.
/// </summary>
public sealed partial class LiveBroadcaster(
    LiveFeed feed, FleetTally tally, LiveAudience audience, IHubContext<LiveHub, ILiveClient> hub, IOptions<LiveOptions> options, ILogger<LiveBroadcaster> logger) : BackgroundService
{
    /// <summary>Snapshots taken from the feed per flush, at most; the rest waits for the next flush.</summary>
    public const int MaxBatch = 4096;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<LiveSnapshot>(MaxBatch);
        try
        {
            while (await feed.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && feed.Reader.TryRead(out var committed))
                {
                    try
                    {
                        tally.Add(committed);
                        if (audience.Watches(committed.Pending.HostName))
                        {
                            batch.Add(LiveSnapshots.From(committed));
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // Admission range-checks every field; should one snapshot still not convert, it alone is skipped.
                        LogConvertFailed(logger, committed.Pending.HostName, committed.Pending.Snapshot.Sequence, e);
                    }
                }

                await SendAsync(batch).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Hosts are sent side by side, each host's snapshots one after another so its subscribers see them in order.</summary>
    private Task SendAsync(List<LiveSnapshot> batch) =>
        Task.WhenAll(batch.GroupBy(s => s.Host).Select(host => SendHostAsync(host.Key, [.. host])));

    private async Task SendHostAsync(string host, List<LiveSnapshot> snapshots)
    {
        var group = hub.Clients.Group(LiveHub.HostGroup(host));
        // In the agent's order; a probe with more than the cap in this flush loses its oldest.
        var skip = snapshots.GroupBy(s => s.Probe).ToDictionary(p => p.Key, p => Math.Max(0, p.Count() - options.Value.MaxSnapshotsPerHostPerFlush));
        foreach (var snapshot in snapshots)
        {
            if (skip[snapshot.Probe] > 0)
            {
                skip[snapshot.Probe]--;
                continue;
            }

            try
            {
                await group.snapshot(snapshot).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed send (a connection closing mid-write) must not stop the feed for everyone.
                LogSendFailed(logger, host, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot {Sequence} of {Host} could not be shown live; skipped")]
    private static partial void LogConvertFailed(ILogger logger, string host, ulong sequence, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a live snapshot of {Host} failed")]
    private static partial void LogSendFailed(ILogger logger, string host, Exception exception);
}

/// <summary>From the wire's snapshot to the hub's.</summary>
public static class LiveSnapshots
{
    public static LiveSnapshot From(CommittedSnapshot committed)
    {
        var pending = committed.Pending;
        var snapshot = pending.Snapshot;
        var kmem = snapshot.Probe == ProbeNames.Kmem;
        var rows = new LiveRow[snapshot.Rows.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = snapshot.Rows[i];
            rows[i] = kmem
                ? new LiveRow(row.Key, null, Count(row.Values, 0), Count(row.Values, 1))
                : new LiveRow(row.Key, Count(row.Values, 0), null, null);
        }

        return new LiveSnapshot(
            pending.HostName, snapshot.Probe, snapshot.Sequence, DateTimeOffset.FromUnixTimeMilliseconds(snapshot.StartUnixMs).UtcDateTime,
            (int)Math.Min(snapshot.DurationMs, int.MaxValue), pending.ReceivedAt, committed.CommittedAt, rows);
    }

    internal static ulong Count(Google.Protobuf.Collections.RepeatedField<ulong> values, int index) =>
        index < values.Count ? values[index] : 0;
}
