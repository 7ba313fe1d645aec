namespace Tracefleet.Server.History;

/// <summary>
/// Snapshots that failed to write on their own, in a batch of one, with the store's commit count at the time. When the
/// agent sends one again and it fails again after the store committed other batches in between, the store works and
/// the snapshot is what it refuses: it is refused instead of failing its stream for ever. Bounded; forgets when full.
/// </summary>
internal sealed class PoisonSnapshots
{
    private const int Capacity = 1024;

    private readonly Dictionary<(long Host, ulong Epoch, ulong Sequence), long> _failed = [];

    public bool FailedBeforeWhileStoreWorked(PendingSnapshot pending, long commits) =>
        _failed.TryGetValue(Key(pending), out var commitsThen) && commits > commitsThen;

    public void Remember(PendingSnapshot pending, long commits)
    {
        if (_failed.Count >= Capacity)
        {
            _failed.Clear();
        }

        _failed[Key(pending)] = commits;
    }

    private static (long, ulong, ulong) Key(PendingSnapshot pending) => (pending.HostId, pending.Epoch, pending.Snapshot.Sequence);
}
