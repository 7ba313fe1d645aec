namespace Tracefleet.Server.History;

/// <summary>
/// Told about snapshots right after the writer committed them (resends that were already stored are
/// not repeated). Called on the writer's loop: an implementation must return at once and never block,
/// because every agent's ack waits behind the writer.
/// </summary>
public interface ICommittedSnapshotSink
{
    void Committed(PendingSnapshot snapshot, DateTime committedAt);
}
