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
/// of unacknowledged snapshots), and removes what the server acknowledges. A lost connection is
/// retried with exponential backoff and jitter; everything unacknowledged is sent again.
/// </summary>
public sealed partial class UplinkClient(AgentOptions options, Outbox outbox, Func<Hello> hello, ProbeStatusBoard statuses, ILogger<UplinkClient> logger) : IDisposable
{
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
            if (!outbox.Drained.IsCompleted)
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
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello() }, cancellationToken).ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false)
            || call.ResponseStream.Current.BodyCase != ServerMessage.BodyOneofCase.Welcome)
        {
            throw new IOException("the server closed the stream without welcoming the agent");
        }

        var welcome = call.ResponseStream.Current.Welcome;
        outbox.AcknowledgeUpTo(welcome.LastStoredSequence);
        LastError = null;
        LogConnected(logger, options.Server, outbox.Count);

        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveAsync(call.ResponseStream, connection.Token);
        var sending = SendAsync(call.RequestStream, connection.Token);
        var first = await Task.WhenAny(receiving, sending).ConfigureAwait(false);
        await connection.CancelAsync().ConfigureAwait(false);
        var second = first == receiving ? sending : receiving;
        try
        {
            // The half that ended first tells why the connection ended; the other one was only cancelled.
            await first.ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await second.ConfigureAwait(false);
            }
            catch (Exception) when (connection.IsCancellationRequested)
            {
                // Ended because this connection is closing.
            }
        }
    }

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

            while (outbox.TryTakeNext(options.SendWindow, out var snapshot))
            {
                await stream.WriteAsync(new AgentMessage { Snapshot = snapshot }, cancellationToken).ConfigureAwait(false);
            }

            if (outbox.Drained.IsCompleted)
            {
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
                outbox.Acknowledge(ack.Sequences);
                if (ack.Rejected.Count > 0)
                {
                    LogRejected(logger, ack.Rejected.Count, ack.RejectedReason);
                    outbox.Reject(ack.Rejected);
                }
            }
        }
    }

    public void Dispose() => _channel.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Server}; {Pending} snapshots waiting to be sent")]
    private static partial void LogConnected(ILogger logger, Uri server, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to {Server} lost or refused; retrying in {Delay:F1} s: {Reason}")]
    private static partial void LogRetry(ILogger logger, Uri server, double delay, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The server will not store {Count} snapshots: {Reason}")]
    private static partial void LogRejected(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The server refused this agent ({Status}): {Detail}")]
    private static partial void LogRefused(ILogger logger, StatusCode status, string detail);
}
