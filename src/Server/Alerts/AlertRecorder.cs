using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.Alerts.Evaluation;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;
using Tracefleet.Server.Live;

namespace Tracefleet.Server.Alerts;

/// <summary>
/// Stores what the evaluator decided, off ingest's path: each transition into history (then the hub's <c>alert</c>
/// event, so a client that re-reads the API on the event finds it), each pending or firing alert into the kept
/// states. Batches whatever is queued into one transaction. A store that fails loses that batch (logged with its size),
/// never the next.
/// </summary>
public sealed partial class AlertRecorder(LiveAlerts alerts, IServiceScopeFactory scopes, IHubContext<LiveHub, ILiveClient> hub, ILogger<AlertRecorder> logger)
    : BackgroundService
{
    private const int MaxBatch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<object>(MaxBatch);
        try
        {
            while (await alerts.Records.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && alerts.Records.TryRead(out var record))
                {
                    batch.Add(record);
                }

                await StoreAsync(batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task StoreAsync(List<object> batch, CancellationToken cancellationToken)
    {
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
                foreach (var t in batch.OfType<AlertTransition>())
                {
                    db.AlertTransitions.Add(new AlertTransitionRecord
                    {
                        Rule = t.Rule,
                        Host = t.Host,
                        Key = t.Key,
                        From = (int)t.From,
                        To = (int)t.To,
                        AtUnixMs = t.AtUnixMs,
                        Value = double.IsNaN(t.Value) ? null : t.Value,
                        Severity = t.Severity,
                        Notified = t.Notified,
                        Silenced = t.Silenced,
                    });
                }

                await KeepAsync(db, batch.OfType<AlertSeriesState>(), cancellationToken).ConfigureAwait(false);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var transition in batch.OfType<AlertTransition>())
            {
                await hub.Clients.All.alert(AlertEvent.Of(transition)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogStoreFailed(logger, batch.Count, e.Message);
        }
    }

    /// <summary>
    /// The batch's kept states: the last of each alert wins; the ones that ended are deleted and the others inserted or
    /// updated, reading what is kept of the batch's alerts in one query (not one per state: a flapping fleet changes
    /// hundreds a second).
    /// </summary>
    private static async Task KeepAsync(TracefleetDb db, IEnumerable<AlertSeriesState> states, CancellationToken cancellationToken)
    {
        var last = new Dictionary<string, AlertSeriesState>(StringComparer.Ordinal);
        foreach (var s in states)
        {
            last[AlertFingerprint.Of(s.Rule, s.Host, s.Key)] = s;
        }

        if (last.Count == 0)
        {
            return;
        }

        var fingerprints = last.Keys.ToList();
        var kept = await db.AlertStates.Where(r => fingerprints.Contains(r.Fingerprint)).ToDictionaryAsync(r => r.Fingerprint, StringComparer.Ordinal, cancellationToken)
            .ConfigureAwait(false);
        foreach (var (fingerprint, s) in last)
        {
            var record = kept.GetValueOrDefault(fingerprint);
            if (s.State is AlertState.Inactive or AlertState.Resolved)
            {
                if (record is not null)
                {
                    db.AlertStates.Remove(record);
                }

                continue;
            }

            if (record is null)
            {
                record = new AlertStateRecord { Fingerprint = fingerprint, Rule = s.Rule, Host = s.Host, Key = s.Key };
                db.AlertStates.Add(record);
            }

            record.State = (int)s.State;
            record.SinceUnixMs = s.SinceUnixMs;
            record.Value = double.IsNaN(s.Value) ? null : s.Value;
            record.Notified = s.Notified;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} alert transitions and states: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, int count, string reason);
}
