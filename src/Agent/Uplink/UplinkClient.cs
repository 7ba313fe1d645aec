using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Tracefleet.Agent.Probes;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Uplink;

/// <summary>
/// Keeps one stream open to the server: says hello, sends what the outbox holds (at most a window
/// of unacknowledged snapshots), and removes what the server acknowledges or refuses. A lost connection, and one
/// that acknowledges nothing for <see cref="AgentOptions.AckTimeout"/>, is retried with exponential backoff and
/// jitter; everything unacknowledged is sent again. A conflict (the server stored these sequence numbers before,
/// with other content) ends the epoch: once everything sent under it is answered, the rest goes under a new one.
/// </summary>
public sealed partial class UplinkClient(AgentOptions options, Outbox outbox, Func<Hello> hello, ProbeStatusBoard statuses, ILogger<UplinkClient> logger, TimeProvider time) : IDisposable
{
    // When the server last showed progress (an ack, or the first send after a quiet spell); read by the ack watchdog.
    private long _progressAtTicks;
    private int _rejectedUnlogged;
    private DateTimeOffset _rejectedLoggedAt = DateTimeOffset.MinValue;

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(options.Server, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            // Pings keep an idle stream alive through NATs and notice a dead server within a minute.
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = false,
            SslOptions = ChannelSecurity.ClientOptions(options) ?? new(),
        },
        // Snapshots are capped at --max-keys rows, but an unlimited agent may send big ones.
        MaxSendMessageSize = 64 * 1024 * 1024,
    });

    /// <summary>The last reason the connection failed, for the message <c>--once</c> prints when it gives up.</summary>
    public string? LastError { get; private set; }

    /// <summary>Why the server refused the last snapshot it refused; null when it refused none.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>Set when the server refused the agent outright (bad token, wrong host, invalid data).</summary>
    public RpcException? Refusal { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var client = new Ingest.IngestClient(_channel);
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => !IsFatal(e)).Handle<IOException>().Handle<HttpRequestException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(30),
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    LastError = args.Outcome.Exception?.Message;
                    LogRetry(logger, options.Server, args.RetryDelay.TotalSeconds, LastError);
                    outbox.Rewind();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        while (!cancellationToken.IsCancellationRequested && !outbox.Drained.IsCompleted)
        {
            if (outbox.ReadyForNewEpoch)
            {
                var (epoch, renumbered) = outbox.StartNewEpoch();
                LogNewEpoch(logger, epoch, renumbered);
            }

            try
            {
                // A connection that was welcomed and later ended returns normally, so the backoff starts over.
                await retry.ExecuteAsync(ct => new ValueTask(ConnectOnceAsync(client, ct)), cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (IsFatal(e))
            {
                Refusal = e;
                LastError = e.Status.Detail;
                LogRefused(logger, e.StatusCode, e.Status.Detail);
                throw;
            }

            outbox.Rewind();
            if (!outbox.Drained.IsCompleted && !outbox.ReadyForNewEpoch)
            {
                // The server ended the stream on purpose (shutting down, rebalancing): give it a moment.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Refusals that retrying cannot fix; the agent stops instead of hammering the server. A limit
    /// (RESOURCE_EXHAUSTED) is retried with backoff, except with --once, which reports it and exits.
    /// </summary>
    public bool IsFatal(RpcException e) => e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied
        or StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.Unimplemented
        || (options.Once && e.StatusCode == StatusCode.ResourceExhausted);

    private async Task ConnectOnceAsync(Ingest.IngestClient client, CancellationToken cancellationToken)
    {
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(options.Token))
        {
            headers.Add("authorization", $"Bearer {options.Token}");
        }

        using var call = client.Connect(headers, cancellationToken: cancellationToken);
        try
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello() }, cancellationToken).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false)
                || call.ResponseStream.Current.BodyCase != ServerMessage.BodyOneofCase.Welcome)
            {
                throw new IOException("the server closed the stream without welcoming the agent");
            }
        }
        catch (RpcException e) when (WrongPort.AnswersHttp11Only(e))
        {
            // A web server (Tracefleet's own web port, most often) can never welcome an agent: say so once and stop.
            throw new RpcException(new Status(StatusCode.FailedPrecondition, WrongPort.Message(options.Server)));
        }

        // Welcome.last_stored_sequence is not used: what is unacknowledged is sent again, and the server recognises a resend.
        LastError = null;
        LogConnected(logger, options.Server, outbox.Count);
        Progress();

        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task[] halves = [ReceiveAsync(call.ResponseStream, connection.Token), SendAsync(call.RequestStream, connection.Token), WatchAcksAsync(connection.Token)];
        var first = await Task.WhenAny(halves).ConfigureAwait(false);
        await connection.CancelAsync().ConfigureAwait(false);
        try
        {
            // The part that ended first tells why the connection ended; the others were only cancelled.
            await first.ConfigureAwait(false);
        }
        finally
        {
            foreach (var other in halves.Where(h => h != first))
            {
                try
                {
                    await other.ConfigureAwait(false);
                }
                catch (Exception) when (connection.IsCancellationRequested)
                {
                    // Ended because this connection is closing.
                }
            }
        }
    }

    /// <summary>
    /// Ends a connection on which snapshots wait for an ack longer than <see cref="AgentOptions.AckTimeout"/>: a server
    /// that stopped acknowledging (its store stuck) without ending the stream would otherwise hold the agent for ever.
    /// </summary>
    private async Task WatchAcksAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(options.AckTimeout.TotalMilliseconds / 4, 50, 5000));
        using var timer = new PeriodicTimer(period, time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var quiet = time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _progressAtTicks), TimeSpan.Zero);
            if (outbox.InFlight > 0 && quiet > options.AckTimeout)
            {
                throw new IOException($"{outbox.InFlight} snapshots sent and no acknowledgement for {quiet.TotalSeconds:F0} s (--ack-timeout); reconnecting");
            }
        }
    }

    private void Progress() => Interlocked.Exchange(ref _progressAtTicks, time.GetUtcNow().UtcTicks);

    private async Task SendAsync(IClientStreamWriter<AgentMessage> stream, CancellationToken cancellationToken)
    {
        var statusesSent = -1L;
        while (!cancellationToken.IsCancellationRequested)
        {
            var change = outbox.NextChange();
            var statusChange = statuses.NextChange();
            var (version, current) = statuses.Read();
            if (version != statusesSent)
            {
                foreach (var status in current)
                {
                    await stream.WriteAsync(new AgentMessage { ProbeStatus = status }, cancellationToken).ConfigureAwait(false);
                }

                statusesSent = version;
            }

            var wasIdle = outbox.InFlight == 0;
            while (outbox.TryTakeNext(options.SendWindow, out var snapshot))
            {
                if (wasIdle)
                {
                    // The ack timeout counts from the first snapshot sent after a quiet spell, not from the last ack.
                    Progress();
                    wasIdle = false;
                }

                await stream.WriteAsync(new AgentMessage { Snapshot = snapshot }, cancellationToken).ConfigureAwait(false);
            }

            if (outbox.Drained.IsCompleted || outbox.ReadyForNewEpoch)
            {
                // Done, or everything sent under this epoch is answered and the rest must go under a new one; the
                // statuses' last change (a refusal counted) goes out first.
                if (statuses.Read() is var (last, final) && last != statusesSent)
                {
                    foreach (var status in final)
                    {
                        await stream.WriteAsync(new AgentMessage { ProbeStatus = status }, cancellationToken).ConfigureAwait(false);
                    }
                }

                await stream.CompleteAsync().ConfigureAwait(false);
                return;
            }

            await Task.WhenAny(change, statusChange).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReceiveAsync(IAsyncStreamReader<ServerMessage> stream, CancellationToken cancellationToken)
    {
        while (await stream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            if (stream.Current.BodyCase == ServerMessage.BodyOneofCase.Ack)
            {
                var ack = stream.Current.Ack;
                Progress();
                outbox.Acknowledge(ack.Sequences);
                if (ack.Rejected.Count > 0)
                {
                    LastRejection = ack.RejectedReason;
                    NoteRejected(ack.Rejected.Count, ack.RejectedReason);
                    outbox.Reject(ack.Rejected, ack.RejectedReason, probe => statuses.Rejected(probe, ack.RejectedReason));
                }

                if (ack.Conflicts.Count > 0)
                {
                    LogConflict(logger, ack.Conflicts.Count, outbox.Epoch, ack.Conflicts[0]);
                    outbox.Conflict(ack.Conflicts);
                }
            }
        }
    }

    /// <summary>
    /// Logs refusals at most once a minute, with how many since the last line and the last reason: an agent whose clock
    /// is an hour ahead has every snapshot refused, and a line per second would say nothing more.
    /// </summary>
    private void NoteRejected(int count, string reason)
    {
        _rejectedUnlogged += count;
        var now = time.GetUtcNow();
        if (now - _rejectedLoggedAt < TimeSpan.FromMinutes(1))
        {
            return;
        }

        LogRejected(logger, _rejectedUnlogged, reason);
        (_rejectedUnlogged, _rejectedLoggedAt) = (0, now);
    }

    public void Dispose() => _channel.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Server}; {Pending} snapshots waiting to be sent")]
    private static partial void LogConnected(ILogger logger, Uri server, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to {Server} lost or refused; retrying in {Delay:F1} s: {Reason}")]
    private static partial void LogRetry(ILogger logger, Uri server, double delay, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The server refused {Count} snapshots (with --state-dir, set aside in its rejected/ folder; not sent again; this line comes at most once a minute). The last: {Reason}")]
    private static partial void LogRejected(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "CONFLICT: the server already stored {Count} of this agent's sequence numbers (epoch {Epoch:x16}, first {Sequence}) with other "
        + "content: this state directory was restored from a backup or copied from another machine. Nothing of them was stored; they go again under a new epoch")]
    private static partial void LogConflict(ILogger logger, int count, ulong epoch, ulong sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Started epoch {Epoch:x16}; {Count} snapshots are numbered again in it and sent")]
    private static partial void LogNewEpoch(ILogger logger, ulong epoch, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The server refused this agent ({Status}): {Detail}")]
    private static partial void LogRefused(ILogger logger, StatusCode status, string detail);
}
