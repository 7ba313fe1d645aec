using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.History;

/// <summary>What the writer did with a snapshot.</summary>
public enum StoreOutcome
{
    /// <summary>Written in a committed transaction.</summary>
    Stored,

    /// <summary>The same snapshot (same host, epoch, sequence and digest) was stored before: a resend.</summary>
    AlreadyStored,

    /// <summary>The host's epoch and sequence were stored before with other content; nothing was written.</summary>
    Conflict,

    /// <summary>The store refused this snapshot on its own while it wrote others (see <see cref="StoreResult.Reason"/>).</summary>
    Refused,
}

/// <summary>The writer's answer for one snapshot; <see cref="Reason"/> says why it was refused.</summary>
public readonly record struct StoreResult(StoreOutcome Outcome, string? Reason = null);

/// <summary>
/// A snapshot accepted by ingest and waiting for the writer. <see cref="Stored"/> completes with the outcome once the
/// writer is done with it, or fails when the store could not write at all (the agent resends it later).
/// </summary>
public sealed record PendingSnapshot(long HostId, ulong Epoch, Snapshot Snapshot)
{
    /// <summary>
    /// The snapshot, its table in the columnar form every sink reads (<see cref="SnapshotColumns"/>): admission moved an
    /// older agent's rows into it already, and a snapshot made on the server is moved here.
    /// </summary>
    public Snapshot Snapshot { get; } = Columnar(Snapshot);

    public TaskCompletionSource<StoreResult> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The snapshot's digest as the agent sent it (see <c>SnapshotDigest</c>); null when not computed.</summary>
    public long? Digest { get; init; }

    /// <summary>The host's name, for the live feed (which addresses hosts by name); empty when the producer did not set it.</summary>
    public string HostName { get; init; } = "";

    /// <summary>When the server accepted the snapshot: the start of the snapshot → browser latency the live feed reports.</summary>
    public DateTime ReceivedAt { get; } = DateTime.UtcNow;

    private static Snapshot Columnar(Snapshot snapshot)
    {
        SnapshotColumns.FromRows(snapshot);
        return snapshot;
    }
}

/// <summary>The bounded hand-over between every ingest stream and the one writer.</summary>
public sealed class SnapshotInbox(IOptions<StorageOptions> options)
{
    private readonly Channel<PendingSnapshot> _channel = Channel.CreateBounded<PendingSnapshot>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<PendingSnapshot> Reader => _channel.Reader;

    public int Count => _channel.Reader.Count;

    /// <summary>Waits while the queue is full, which holds the agent's stream back instead of growing memory.</summary>
    public ValueTask EnqueueAsync(PendingSnapshot snapshot, CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(snapshot, cancellationToken);
}
