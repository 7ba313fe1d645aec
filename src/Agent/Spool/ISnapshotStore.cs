using System.Security.Cryptography;
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

    /// <summary>The server will never store this snapshot: it leaves the store for a bounded place of refused ones, with the reason.</summary>
    void SetAside(ulong sequence, string reason);

    /// <summary>
    /// Keeps <paramref name="snapshot"/> (already given its new sequence) in place of the one numbered
    /// <paramref name="oldSequence"/>, without applying the budget: the store holds no more than before.
    /// </summary>
    void Renumber(ulong oldSequence, Snapshot snapshot);
}

/// <summary>Hands out sequence numbers; a persistent source survives restarts.</summary>
public interface ISequenceSource
{
    ulong Allocate();

    /// <summary>Starts a new epoch (random, non-zero) whose sequences start again at 1; returns it.</summary>
    ulong BeginNewEpoch();
}

/// <summary>Sequence numbers that start at 1 with every process: fine without a state directory, whose epoch is new each run.</summary>
public sealed class MemorySequence : ISequenceSource
{
    private ulong _next = 1;

    public ulong Allocate() => _next++;

    public ulong BeginNewEpoch()
    {
        _next = 1;
        return Epochs.New();
    }
}

/// <summary>Agent epochs: random 64-bit numbers, never zero.</summary>
public static class Epochs
{
    public static ulong New() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | 1;
}
