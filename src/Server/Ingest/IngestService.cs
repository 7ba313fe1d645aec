using System.Threading.Channels;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Tracefleet.Contract.V1;
using Tracefleet.Server.History;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// The gRPC adapter for an agent's stream: hello, then snapshots in, acks out. Validation lives in
/// <see cref="IngestValidator"/>, storage in the <see cref="SnapshotWriter"/>; an ack is sent only
/// once the snapshot it names is committed.
/// </summary>
public sealed partial class IngestService(
    HostDirectory hosts,
    AgentSessions sessions,
    SnapshotInbox queue,
    IServiceScopeFactory scopes,
    ILogger<IngestService> logger) : Contract.V1.Ingest.IngestBase
{
    /// <summary>Snapshots of one stream awaiting their ack, at most; past it the stream stops reading (gRPC flow control).</summary>
    public const int MaxUnacknowledgedPerStream = 4096;

    public override async Task Connect(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<ServerMessage> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var hello = requestStream.Current.Hello
            ?? throw Refuse(StatusCode.InvalidArgument, "the first message on the stream must be a Hello");
        if (IngestValidator.CheckHello(hello) is { } problem)
        {
            throw Refuse(StatusCode.InvalidArgument, problem);
        }

        var host = await hosts.RegisterAsync(hello, cancellationToken).ConfigureAwait(false);
        using var session = sessions.Open(hello.Host);
        var lastStored = await LastContiguousSequenceAsync(host.Id, hello.Epoch, cancellationToken).ConfigureAwait(false);
        await responseStream.WriteAsync(new ServerMessage { Welcome = new Welcome { LastStoredSequence = lastStored } }, cancellationToken).ConfigureAwait(false);
        LogConnected(logger, hello.Host, hello.Backend, hello.AgentVersion, context.Peer);

        var awaitingAck = Channel.CreateBounded<PendingSnapshot>(new BoundedChannelOptions(MaxUnacknowledgedPerStream) { SingleReader = true, SingleWriter = true });
        var acking = SendAcksAsync(awaitingAck.Reader, responseStream, cancellationToken);
        try
        {
            while (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var message = requestStream.Current;
                switch (message.BodyCase)
                {
                    case AgentMessage.BodyOneofCase.Snapshot:
                        if (IngestValidator.CheckSnapshot(message.Snapshot) is { } invalid)
                        {
                            throw Refuse(StatusCode.InvalidArgument, invalid);
                        }

                        var pending = new PendingSnapshot(host.Id, hello.Epoch, message.Snapshot) { HostName = hello.Host };
                        await awaitingAck.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
                        await queue.EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
                        break;
                    case AgentMessage.BodyOneofCase.ProbeStatus:
                        break;
                    default:
                        throw Refuse(StatusCode.InvalidArgument, $"unexpected {message.BodyCase} after the Hello");
                }
            }
        }
        finally
        {
            awaitingAck.Writer.TryComplete();
            // Acks for what was read still go out when the agent ends its side first (--once).
            await acking.ConfigureAwait(false);
            LogDisconnected(logger, hello.Host);
        }
    }

    private static async Task SendAcksAsync(ChannelReader<PendingSnapshot> awaiting, IServerStreamWriter<ServerMessage> responseStream, CancellationToken cancellationToken)
    {
        try
        {
            while (await awaiting.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var ack = new Ack();
                // Acks follow the stream's order; everything already committed goes out in one message.
                while (awaiting.TryPeek(out var next) && (ack.Sequences.Count == 0 || next.Stored.Task.IsCompleted))
                {
                    await next.Stored.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                    awaiting.TryRead(out _);
                    ack.Sequences.Add(next.Snapshot.Sequence);
                }

                await responseStream.WriteAsync(new ServerMessage { Ack = ack }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The agent went away; what it did not see acknowledged, it sends again.
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Refuse(StatusCode.Unavailable, $"storage failed, resend later: {e.Message}");
        }
    }

    /// <summary>The highest N such that sequences 1..N of this epoch are all stored; 0 when there is a gap.</summary>
    private async Task<ulong> LastContiguousSequenceAsync(long hostId, ulong epoch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        var signedEpoch = unchecked((long)epoch);
        var stats = await db.Snapshots
            .Where(s => s.HostId == hostId && s.Epoch == signedEpoch)
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.LongCount(), Max = g.Max(s => s.Sequence) })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return stats is not null && stats.Count == stats.Max ? (ulong)stats.Max : 0;
    }

    private static RpcException Refuse(StatusCode status, string detail) => new(new Status(status, detail));

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent of {Host} connected ({Backend}, agent {Version}) from {Peer}")]
    private static partial void LogConnected(ILogger logger, string host, string backend, string version, string peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent of {Host} disconnected")]
    private static partial void LogDisconnected(ILogger logger, string host);
}
