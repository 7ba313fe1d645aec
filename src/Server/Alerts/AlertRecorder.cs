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
                foreach (var record in batch)
                {
                    switch (record)
                    {
                        case AlertTransition t:
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
                            break;
                        case AlertSeriesState s:
                            await KeepAsync(db, s, cancellationToken).ConfigureAwait(false);
                            break;
                    }
                }

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

    // The same alert may change twice in one batch: the tracked entity is updated in place, so the last state wins.
    private static async Task KeepAsync(TracefleetDb db, AlertSeriesState s, CancellationToken cancellationToken)
    {
        var fingerprint = AlertFingerprint.Of(s.Rule, s.Host, s.Key);
        var kept = db.AlertStates.Local.FirstOrDefault(r => r.Fingerprint == fingerprint)
            ?? await db.AlertStates.FirstOrDefaultAsync(r => r.Fingerprint == fingerprint, cancellationToken).ConfigureAwait(false);
        if (s.State is AlertState.Inactive or AlertState.Resolved)
        {
            if (kept is not null)
            {
                db.AlertStates.Remove(kept);
            }

            return;
        }

        if (kept is null || db.Entry(kept).State == EntityState.Deleted)
        {
            if (kept is not null)
            {
                db.Entry(kept).State = EntityState.Unchanged;
            }
            else
            {
                kept = new AlertStateRecord { Fingerprint = fingerprint, Rule = s.Rule, Host = s.Host, Key = s.Key };
                db.AlertStates.Add(kept);
            }
        }

        kept.State = (int)s.State;
        kept.SinceUnixMs = s.SinceUnixMs;
        kept.Value = double.IsNaN(s.Value) ? null : s.Value;
        kept.Notified = s.Notified;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} alert transitions and states: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, int count, string reason);
}
