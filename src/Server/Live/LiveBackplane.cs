using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Tracefleet.Server.Live;

/// <summary>
/// Several servers, one live feed (<c>Live:Redis</c>): each server publishes the snapshots it stores on one Redis channel
/// and posts those the others publish to its own hub connections, through the same per-connection queues as its own
/// (<see cref="LiveAudience"/>), and counts them in its fleet summary. Nothing here waits for a hub connection: publishing
/// waits for Redis in a loop of its own, behind a queue of <see cref="LiveOptions.QueueCapacity"/> that drops its oldest,
/// and what arrives is posted without waiting. While Redis is away, each server's clients see its own snapshots only.
/// </summary>
public sealed partial class LiveBackplane : BackgroundService
{
    /// <summary>Snapshots published per round trip to Redis, at most.</summary>
    private const int MaxBatch = 256;

    private static readonly RedisChannel Channel = RedisChannel.Literal("tracefleet:live:snapshots");
    private readonly string _redis;
    private readonly LiveAudience _audience;
    private readonly FleetTally _tally;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger<LiveBackplane> _logger;
    private readonly Channel<LiveSnapshot> _outgoing;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private bool _failing;

    public LiveBackplane(
        IOptions<LiveOptions> options, LiveAudience audience, FleetTally tally, IOptions<JsonHubProtocolOptions> json, ILogger<LiveBackplane> logger)
    {
        _redis = options.Value.Redis ?? throw new InvalidOperationException("Live:Redis is not set");
        _audience = audience;
        _tally = tally;
        // The hub's own JSON settings: what crosses Redis reads back exactly as it was.
        _json = json.Value.PayloadSerializerOptions;
        _logger = logger;
        _outgoing = System.Threading.Channels.Channel.CreateBounded<LiveSnapshot>(
            new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });
    }

    /// <summary>Queues a snapshot this server stored for the other servers; never waits.</summary>
    public void Publish(LiveSnapshot snapshot) => _outgoing.Writer.TryWrite(snapshot);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var configuration = ConfigurationOptions.Parse(_redis);
        // Start without Redis and reconnect in the background; a command while it is away fails at once rather than queueing.
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        using var redis = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        var subscriber = redis.GetSubscriber();
        // A queue (not a handler) keeps the other servers' snapshots in the order they were published.
        var incoming = await subscriber.SubscribeAsync(Channel).ConfigureAwait(false);
        incoming.OnMessage(message => Receive(message.Message));
        try
        {
            var batch = new List<Task>(MaxBatch);
            while (await _outgoing.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _outgoing.Reader.TryRead(out var snapshot))
                {
                    batch.Add(PublishAsync(subscriber, snapshot));
                }

                await PublishedAsync(batch).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await incoming.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(ISubscriber subscriber, LiveSnapshot snapshot) =>
        await subscriber.PublishAsync(Channel, JsonSerializer.SerializeToUtf8Bytes(new BackplaneMessage(_origin, snapshot), _json)).ConfigureAwait(false);

    private async Task PublishedAsync(List<Task> batch)
    {
        try
        {
            await Task.WhenAll(batch).ConfigureAwait(false);
            if (_failing)
            {
                _failing = false;
                LogPublishing(_logger);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Logged when it starts failing, not for every batch while Redis is away.
            if (!_failing)
            {
                _failing = true;
                LogPublishFailed(_logger, e);
            }
        }
    }

    private void Receive(RedisValue value)
    {
        try
        {
            if (JsonSerializer.Deserialize<BackplaneMessage>((byte[])value!, _json) is { Snapshot: { Host: not null, Probe: not null, Rows: not null } } message
                && message.Origin != _origin)
            {
                _tally.Add(message.Snapshot);
                _audience.Post(message.Snapshot);
            }
        }
        catch (JsonException e)
        {
            // Another program on the channel, or a server of another version: its message alone is skipped.
            LogUnreadable(_logger, e);
        }
    }

    /// <summary>What crosses Redis: the snapshot and the server that stored it (which skips its own).</summary>
    private sealed record BackplaneMessage(string Origin, LiveSnapshot Snapshot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live snapshots cannot be published to Redis (Live:Redis); other servers' clients miss this server's until it is back")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Live snapshots are published to Redis again")]
    private static partial void LogPublishing(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message on the Redis live channel could not be read; skipped")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);
}
