using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Spool;

/// <summary>Where the outbox keeps snapshots until they are acknowledged.</summary>
public interface ISnapshotStore
{
    /// <summary>Keeps a numbered snapshot; returns the sequences dropped (oldest first) to stay within the store's budget.</summary>
    IReadOnlyList<ulong> Save(Snapshot snapshot);

    /// <summary>Reads a kept snapshot back; null when it is gone (dropped, or its file damaged).</summary>
    Snapshot? Load(ulong sequence);

    void Delete(ulong sequence);
}

/// <summary>Hands out sequence numbers; a persistent source survives restarts.</summary>
public interface ISequenceSource
{
    ulong Allocate();
}

/// <summary>Sequence numbers that start at 1 with every process: fine without a state directory, whose epoch is new each run.</summary>
public sealed class MemorySequence : ISequenceSource
{
    private ulong _next = 1;

    public ulong Allocate() => _next++;
}
