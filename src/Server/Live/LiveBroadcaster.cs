using Microsoft.Extensions.Options;
using Tracefleet.Contract;

namespace Tracefleet.Server.Live;

/// <summary>
/// Drains the live feed in batches and posts each snapshot to the connections that joined its host (and, behind a
/// Redis backplane, to the other servers). Posting never waits for a connection (<see cref="LiveOutbox"/>), so this
/// loop keeps up with the writer; should it fall behind anyway, the feed drops old snapshots instead of slowing ingest.
/// Within one batch, a flood from one host and probe is cut to its newest <see cref="LiveOptions.MaxSnapshotsPerHostPerFlush"/>.
/// </summary>
public sealed partial class LiveBroadcaster(
    LiveFeed feed, FleetTally tally, LiveAudience audience, IOptions<LiveOptions> options, ILogger<LiveBroadcaster> logger, LiveBackplane? backplane = null)
    : BackgroundService
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

                Post(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>In the agents' order; a host and probe with more than the cap in this batch loses its oldest.</summary>
    private void Post(List<LiveSnapshot> batch)
    {
        var cap = options.Value.MaxSnapshotsPerHostPerFlush;
        var skip = batch.CountBy(s => (s.Host, s.Probe)).Where(c => c.Value > cap).ToDictionary(c => c.Key, c => c.Value - cap);
        foreach (var snapshot in batch)
        {
            if (skip.TryGetValue((snapshot.Host, snapshot.Probe), out var left) && left > 0)
            {
                skip[(snapshot.Host, snapshot.Probe)] = left - 1;
                continue;
            }

            audience.Post(snapshot);
            backplane?.Publish(snapshot);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot {Sequence} of {Host} could not be shown live; skipped")]
    private static partial void LogConvertFailed(ILogger logger, string host, ulong sequence, Exception exception);
}

/// <summary>From the wire's snapshot to the hub's.</summary>
public static class LiveSnapshots
{
    public static LiveSnapshot From(CommittedSnapshot committed)
    {
        var pending = committed.Pending;
        var snapshot = pending.Snapshot;
        // Only snapshots of known probes are admitted, so an unknown one cannot reach here.
        var probe = ProbeCatalogue.Find(snapshot.Probe) ?? throw new InvalidDataException($"unknown probe {snapshot.Probe}");
        // Admission moved the table into the columnar form (SnapshotColumns); each live row copies its values out.
        var width = probe.ValueCount;
        var values = new ulong[width];
        var rows = new LiveRow[snapshot.Keys.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            SnapshotColumns.CopyRow(snapshot, i, values);
            rows[i] = LiveRow.Of(probe, snapshot.Keys[i], values);
        }

        return new LiveSnapshot(
            pending.HostName, snapshot.Probe, snapshot.Sequence, DateTimeOffset.FromUnixTimeMilliseconds(snapshot.StartUnixMs).UtcDateTime,
            (int)Math.Min(snapshot.DurationMs, int.MaxValue), pending.ReceivedAt, committed.CommittedAt, rows);
    }
}
