using System.Data.Common;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// The gRPC adapter for an agent's stream: hello, then snapshots in, acks out. The agent was authenticated from its
/// headers before the call reached here (<see cref="AgentAuthenticationHandler"/>); this checks only that its Hello names a
/// host its credentials write for. Validation lives in <see cref="IngestValidator"/>, <see cref="ProbeStatusGate"/> and
/// <see cref="SnapshotAdmission"/>, storage in the <see cref="SnapshotWriter"/>, acks in <see cref="AckSender"/>: an ack
/// is sent only once the snapshot it names is committed, and a snapshot that cannot be stored is refused on its own while
/// the stream goes on.
/// </summary>
public sealed partial class IngestService(
    HostDirectory hosts,
    AgentSessions sessions,
    SnapshotAdmission admission,
    IngestBudget budget,
    ProbeStatusRegistry statuses,
    SnapshotInbox queue,
    SnapshotRefusals refusals,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    ILogger<IngestService> logger) : Contract.V1.Ingest.IngestBase
{
    /// <summary>Snapshots of one stream awaiting their ack, at most; past it the stream stops reading (gRPC flow control).</summary>
    public const int MaxUnacknowledgedPerStream = 4096;

    public override async Task Connect(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<ServerMessage> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var http = context.GetHttpContext();
        await HelloGate.WaitAsync(http.Request.BodyReader, limits.Value.MaxHelloBytes, TimeSpan.FromSeconds(limits.Value.HelloTimeoutSeconds), time, cancellationToken)
            .ConfigureAwait(false);
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

        IngestValidator.Normalize(hello);
        var identity = AgentIdentity.FromPrincipal(http.User) ?? throw Refuse(StatusCode.Unauthenticated, "the agent is not authenticated");
        if (identity.MayWriteFor(hello.Host) is { } refusal)
        {
            LogRefused(logger, hello.Host, context.Peer, refusal.Code, refusal.LogDetail);
            throw new RpcException(refusal.Status);
        }

        HostRecord host;
        try
        {
            host = await hosts.RegisterAsync(hello, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or DbUpdateException)
        {
            throw Refuse(StatusCode.Unavailable, $"the store cannot write now ({e.GetBaseException().Message}); reconnect later");
        }

        using var session = sessions.Open(hello.Host);
        statuses.Declare(hello.Host, hello.Probes.Select(p => p.Name));
        // last_stored_sequence is no longer claimed: the agent resends what is unacknowledged, and a resend is recognised.
        await responseStream.WriteAsync(new ServerMessage { Welcome = new Welcome { MaxKeysPerSnapshot = (uint)limits.Value.MaxKeysPerSnapshot } }, cancellationToken).ConfigureAwait(false);
        LogConnected(logger, hello.Host, hello.Backend, hello.AgentVersion, context.Peer);

        using var pace = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Value.MaxSnapshotsPerSecond,
            TokensPerPeriod = Math.Max(1, limits.Value.MaxSnapshotsPerSecond / 10),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = 1,
            AutoReplenishment = true,
        });
        // Ended by the agent, or by the ack stream when the store cannot write: either way, reading stops.
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var awaitingAck = Channel.CreateBounded<AckItem>(new BoundedChannelOptions(MaxUnacknowledgedPerStream) { SingleReader = true, SingleWriter = true });
        var acking = new AckSender(responseStream, refusals, hello.Host).RunAsync(awaitingAck.Reader, stream);
        var measureClock = hello.Backend != "replay";
        var statusGate = new ProbeStatusGate(hello.Probes.Select(p => p.Name), limits.Value.MaxProbeStatusesPerSecond, time);
        var dropsLogged = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await requestStream.MoveNext(stream.Token).ConfigureAwait(false))
            {
                var message = requestStream.Current;
                Keep(hello.Host, statusGate.Release());
                switch (message.BodyCase)
                {
                    case AgentMessage.BodyOneofCase.Snapshot:
                        // Faster than the limit: the stream waits, so the agent is paced, not cut off.
                        using (await pace.AcquireAsync(1, stream.Token).ConfigureAwait(false))
                        {
                            await AcceptAsync(host.Id, hello, message.Snapshot, measureClock, awaitingAck.Writer, stream.Token).ConfigureAwait(false);
                        }

                        break;
                    case AgentMessage.BodyOneofCase.ProbeStatus:
                        var verdict = statusGate.Offer(message.ProbeStatus);
                        Keep(hello.Host, verdict.Keep is { } kept ? [kept] : []);
                        if (verdict.Reason is { } dropped)
                        {
                            statuses.CountDropped(dropped);
                            if (dropsLogged.Add(dropped))
                            {
                                // Once per stream and reason: a flood of bad statuses is counted in /metrics, not copied into the log.
                                LogStatusDropped(logger, hello.Host, verdict.Message!);
                            }
                        }

                        break;
                    default:
                        throw Refuse(StatusCode.InvalidArgument, $"unexpected {message.BodyCase} after the Hello");
                }
            }
        }
        catch (OperationCanceledException) when (stream.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The ack stream ended it; its failure is thrown below.
        }
        finally
        {
            Keep(hello.Host, statusGate.Release(all: true));
            awaitingAck.Writer.TryComplete();
            try
            {
                // Acks for what was read still go out when the agent ends its side first (--once).
                await acking.ConfigureAwait(false);
            }
            finally
            {
                LogDisconnected(logger, hello.Host);
            }
        }
    }

    private async Task AcceptAsync(long hostId, Hello hello, Snapshot snapshot, bool measureClock, ChannelWriter<AckItem> awaitingAck, CancellationToken cancellationToken)
    {
        var probe = SnapshotRules.ValueCount(snapshot.Probe) is null ? "unknown" : snapshot.Probe;
        var admitted = admission.Admit(hello.Host, snapshot, measureClock);
        if (admitted.Refusal is { } refused)
        {
            LogSnapshotRefused(logger, hello.Host, snapshot.Sequence, refused.Message);
            await awaitingAck.WriteAsync(new AckItem(snapshot.Sequence, probe, null, refused), cancellationToken).ConfigureAwait(false);
            return;
        }

        var lease = await budget.TakeAsync(snapshot.CalculateSize(), cancellationToken).ConfigureAwait(false);
        var pending = new PendingSnapshot(hostId, hello.Epoch, snapshot) { HostName = hello.Host, Digest = admitted.Digest };
        // The room is given back once the writer is done with it, whether or not the agent is still there for the ack.
        _ = pending.Stored.Task.ContinueWith(_ => lease.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await awaitingAck.WriteAsync(new AckItem(snapshot.Sequence, probe, pending.Stored.Task, null), cancellationToken).ConfigureAwait(false);
        await queue.EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    private void Keep(string host, IReadOnlyList<ProbeStatus> kept)
    {
        foreach (var status in kept)
        {
            statuses.Report(host, status);
        }
    }

    private static RpcException Refuse(StatusCode status, string detail) => new(new Status(status, detail));

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent of {Host} connected ({Backend}, agent {Version}) from {Peer}")]
    private static partial void LogConnected(ILogger logger, string host, string backend, string version, string peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an agent for {Host} from {Peer} ({Status}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string host, string peer, StatusCode status, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused snapshot {Sequence} of {Host}: {Reason}")]
    private static partial void LogSnapshotRefused(ILogger logger, string host, ulong sequence, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a probe status from {Host}: {Reason} (more of the kind on this stream are only counted)")]
    private static partial void LogStatusDropped(ILogger logger, string host, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent of {Host} disconnected")]
    private static partial void LogDisconnected(ILogger logger, string host);
}
