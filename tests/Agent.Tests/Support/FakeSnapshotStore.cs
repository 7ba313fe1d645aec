using Tracefleet.Agent.Spool;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Tests.Support;

/// <summary>
/// An in-memory <see cref="ISnapshotStore"/> that records every call; with <paramref name="maxCount"/> it
/// drops its oldest entries the way the spool's budget does.
/// </summary>
internal sealed class FakeSnapshotStore(int maxCount = int.MaxValue) : ISnapshotStore
{
    public SortedDictionary<ulong, Snapshot> Saved { get; } = [];

    public List<ulong> Loads { get; } = [];

    public List<ulong> Deletes { get; } = [];

    public bool FailSaves { get; set; }

    public IReadOnlyList<ulong> Save(Snapshot snapshot)
    {
        if (FailSaves)
        {
            throw new IOException("disk full");
        }

        // A copy, as a file would hold: what the outbox later changes in its own object does not reach the store.
        Saved[snapshot.Sequence] = snapshot.Clone();
        var dropped = new List<ulong>();
        while (Saved.Count > maxCount)
        {
            var oldest = Saved.Keys.First();
            Saved.Remove(oldest);
            dropped.Add(oldest);
        }

        return dropped;
    }

    public Snapshot? Load(ulong sequence)
    {
        Loads.Add(sequence);
        return Saved.TryGetValue(sequence, out var snapshot) ? snapshot.Clone() : null;
    }

    public void Delete(ulong sequence)
    {
        Deletes.Add(sequence);
        Saved.Remove(sequence);
    }

    /// <summary>Snapshots set aside as refused, with the reason.</summary>
    public SortedDictionary<ulong, (Snapshot Snapshot, string Reason)> SetAsideWith { get; } = [];

    public void SetAside(ulong sequence, string reason)
    {
        if (Saved.Remove(sequence, out var snapshot))
        {
            SetAsideWith[sequence] = (snapshot, reason);
        }
    }

    public void Renumber(ulong oldSequence, Snapshot snapshot)
    {
        Saved.Remove(oldSequence);
        Saved[snapshot.Sequence] = snapshot.Clone();
    }
}

/// <summary>Sequence numbers from <paramref name="next"/> up, like a reopened state directory; a new epoch is numbered <c>Epochs + 100</c>.</summary>
internal sealed class SequenceFrom(ulong next) : ISequenceSource
{
    public int Epochs { get; private set; }

    public ulong Allocate() => next++;

    public ulong BeginNewEpoch()
    {
        next = 1;
        return (ulong)(++Epochs + 100);
    }
}
