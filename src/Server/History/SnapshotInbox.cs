using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.History;

/// <summary>A snapshot accepted by ingest and waiting for the writer; <see cref="Stored"/> says true when written, false when it was a resend.</summary>
public sealed record PendingSnapshot(long HostId, ulong Epoch, Snapshot Snapshot)
{
    public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The host's name, for the live feed (which addresses hosts by name); empty when the producer did not set it.</summary>
    public string HostName { get; init; } = "";

    /// <summary>When the server accepted the snapshot: the start of the snapshot → browser latency the live feed reports.</summary>
    public DateTime ReceivedAt { get; } = DateTime.UtcNow;
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
