using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History;

namespace Tracefleet.Server.Hosting;

/// <summary>
/// Ingest is running when the store's writer is, and writes: a writer that stopped, or a store that has failed every
/// write since some time (its file locked by another process, the database unreachable), means agents' snapshots are
/// not acknowledged. A full queue is Degraded (still ready: agents are slowed, not refused).
/// </summary>
public sealed class IngestHealthCheck(IEnumerable<IHostedService> services, SnapshotInbox inbox, IOptions<StorageOptions> storage, StoreWrites writes) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var writer = services.OfType<SnapshotWriter>().SingleOrDefault();
        var result = writer?.ExecuteTask switch
        {
            null => HealthCheckResult.Unhealthy("the store's writer has not started"),
            { IsFaulted: true } task => HealthCheckResult.Unhealthy("the store's writer failed: " + task.Exception?.GetBaseException().Message),
            { IsCompleted: true } => HealthCheckResult.Unhealthy("the store's writer has stopped"),
            _ when writes.Failing is var (since, reason) => HealthCheckResult.Unhealthy(
                $"the store has failed every write since {since:O} ({reason}); agents reconnect and resend, {inbox.Count} snapshots queued"),
            _ when inbox.Count >= storage.Value.QueueCapacity => HealthCheckResult.Degraded($"the store's queue is full ({inbox.Count} snapshots): agents are being slowed down"),
            _ => HealthCheckResult.Healthy($"writer running, {inbox.Count} snapshots queued"),
        };
        return Task.FromResult(result);
    }
}
