using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History;

namespace Tracefleet.Server.Live;

/// <summary>A committed snapshot on its way to the hub.</summary>
public sealed record CommittedSnapshot(PendingSnapshot Pending, DateTime CommittedAt);

/// <summary>
/// The hand-over from the store's writer to the broadcaster. Bounded, and when full it drops the
/// oldest snapshot: the live view only cares about now, and the writer (which every agent's ack
/// waits on) must never wait for a browser.
/// </summary>
public sealed class LiveFeed : ICommittedSnapshotSink
{
    private readonly Channel<CommittedSnapshot> _channel;
    private long _dropped;

    public LiveFeed(IOptions<LiveOptions> options)
    {
        _channel = Channel.CreateBounded<CommittedSnapshot>(
            new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropOldest },
            _ => Interlocked.Increment(ref _dropped));
    }

    public ChannelReader<CommittedSnapshot> Reader => _channel.Reader;

    /// <summary>Snapshots dropped because the broadcaster fell behind, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Committed(PendingSnapshot snapshot, DateTime committedAt) =>
        _channel.Writer.TryWrite(new CommittedSnapshot(snapshot, committedAt));
}
