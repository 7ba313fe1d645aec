using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// The <see cref="IAlertNotifier"/> the evaluator calls: puts the notice in a bounded queue (<c>Alerts:QueueCapacity</c>)
/// that <see cref="AlertDispatcher"/> drains, and returns. When the queue is full the notice is dropped and counted
/// (<see cref="Dropped"/>, <c>tracefleet_alert_notices_dropped_total</c>); <see cref="Notify"/> never waits.
/// </summary>
public sealed class AlertNotifier : IAlertNotifier
{
    private readonly Channel<AlertNotice> _queue;
    private long _dropped;
    private long _unreported;

    public AlertNotifier(IOptions<AlertNotifyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Capacity = options.Value.QueueCapacity;
        _queue = Channel.CreateBounded<AlertNotice>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public int Capacity { get; }

    /// <summary>Notices dropped because the queue was full, since the server started.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Notices waiting.</summary>
    public int Count => _queue.Reader.Count;

    public ChannelReader<AlertNotice> Reader => _queue.Reader;

    /// <summary>Queues <paramref name="notice"/>, or drops and counts it when <see cref="Capacity"/> are waiting. Never blocks.</summary>
    public void Notify(AlertNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (!_queue.Writer.TryWrite(notice))
        {
            Interlocked.Increment(ref _dropped);
            Interlocked.Increment(ref _unreported);
        }
    }

    /// <summary>Drops not yet written to the server's log, and from now on reported: the count of one burst.</summary>
    public long TakeUnreportedDrops() => Interlocked.Exchange(ref _unreported, 0);
}
