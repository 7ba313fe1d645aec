using System.Threading.Channels;

namespace Tracefleet.Server.Live;

/// <summary>One hub event on its way to a connection: a snapshot of a host it joined, or a fleet summary.</summary>
public readonly record struct LiveMessage(LiveSnapshot? Snapshot, FleetSecond? Fleet)
{
    public static LiveMessage Of(LiveSnapshot snapshot) => new(snapshot, null);

    public static LiveMessage Of(FleetSecond fleet) => new(null, fleet);

    public Task SendAsync(ILiveClient client) => Snapshot is { } snapshot ? client.snapshot(snapshot) : client.fleet(Fleet!);
}

/// <summary>
/// One hub connection's messages on their way out: a small queue that drops its oldest message when full, and one
/// task that writes them to the connection in order. SignalR waits while a connection's socket is full; here only this
/// task waits, so a client that stops reading holds up nobody else and costs at most a queue of messages (which are
/// shared with every other connection they go to).
/// </summary>
public sealed partial class LiveOutbox : IDisposable
{
    private readonly Channel<LiveMessage> _queue;
    private readonly string _connectionId;
    private readonly ILiveClient _client;
    private readonly ILogger _logger;
    private volatile bool _closed;

    /// <param name="connectionId">The hub connection, for the log.</param>
    /// <param name="client">Where the messages go.</param>
    /// <param name="capacity">Messages kept waiting, at most.</param>
    /// <param name="dropped">Called for each message dropped because the queue was full.</param>
    /// <param name="logger">Failed sends are logged here.</param>
    public LiveOutbox(string connectionId, ILiveClient client, int capacity, Action dropped, ILogger logger)
    {
        _connectionId = connectionId;
        _client = client;
        _logger = logger;
        _queue = Channel.CreateBounded<LiveMessage>(
            new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest }, _ => dropped());
        Writing = Task.Run(WriteAsync);
    }

    /// <summary>The task that writes; it ends once <see cref="Dispose"/> was called.</summary>
    public Task Writing { get; }

    /// <summary>Queues a message without waiting; when the queue is full its oldest message makes room.</summary>
    public void Post(LiveMessage message) => _queue.Writer.TryWrite(message);

    private async Task WriteAsync()
    {
        // Ends when the queue is completed (Dispose); what is left in it then is read and let go, not sent.
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out var message))
            {
                if (_closed)
                {
                    continue;
                }

                try
                {
                    await message.SendAsync(_client).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // A connection closing mid-write; SignalR sends nothing to one that is gone.
                    LogSendFailed(_logger, _connectionId, e);
                }
            }
        }
    }

    /// <summary>Stops writing and lets go of what waits: the connection is gone.</summary>
    public void Dispose()
    {
        _closed = true;
        _queue.Writer.TryComplete();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A live message to hub connection {ConnectionId} could not be sent")]
    private static partial void LogSendFailed(ILogger logger, string connectionId, Exception exception);
}
