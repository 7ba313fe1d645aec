using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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
    AgentAuthenticator authenticator,
    SnapshotAdmission admission,
    IngestBudget budget,
    ProbeStatusRegistry statuses,
    SnapshotInbox queue,
    IOptions<LimitsOptions> limits,
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

        if ((authenticator.Check(hello.Host, context.RequestHeaders) ?? ClientCertificateCheck(hello.Host, context)) is { } refusal)
        {
            LogRefused(logger, hello.Host, context.Peer, refusal.StatusCode, refusal.Detail);
            throw new RpcException(refusal);
        }

        var host = await hosts.RegisterAsync(hello, cancellationToken).ConfigureAwait(false);
        using var session = sessions.Open(hello.Host);
        var lastStored = await LastContiguousSequenceAsync(host.Id, hello.Epoch, cancellationToken).ConfigureAwait(false);
        await responseStream.WriteAsync(new ServerMessage { Welcome = new Welcome { LastStoredSequence = lastStored, MaxKeysPerSnapshot = (uint)limits.Value.MaxKeysPerSnapshot } }, cancellationToken).ConfigureAwait(false);
        LogConnected(logger, hello.Host, hello.Backend, hello.AgentVersion, context.Peer);

        using var pace = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Value.MaxSnapshotsPerSecond,
            TokensPerPeriod = Math.Max(1, limits.Value.MaxSnapshotsPerSecond / 10),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = 1,
            AutoReplenishment = true,
        });
        var awaitingAck = Channel.CreateBounded<AckItem>(new BoundedChannelOptions(MaxUnacknowledgedPerStream) { SingleReader = true, SingleWriter = true });
        var acking = SendAcksAsync(awaitingAck.Reader, responseStream, cancellationToken);
        try
        {
            while (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var message = requestStream.Current;
                switch (message.BodyCase)
                {
                    case AgentMessage.BodyOneofCase.Snapshot:
                        // Faster than the limit: the stream waits, so the agent is paced, not cut off.
                        using (await pace.AcquireAsync(1, cancellationToken).ConfigureAwait(false))
                        {
                            await AcceptAsync(host.Id, hello, message.Snapshot, awaitingAck.Writer, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    case AgentMessage.BodyOneofCase.ProbeStatus:
                        statuses.Report(hello.Host, message.ProbeStatus);
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

    private async Task AcceptAsync(long hostId, Hello hello, Snapshot snapshot, ChannelWriter<AckItem> awaitingAck, CancellationToken cancellationToken)
    {
        var (verdict, reason) = admission.Admit(hello.Host, snapshot);
        if (verdict == Admission.Reject)
        {
            await awaitingAck.WriteAsync(new AckItem(snapshot.Sequence, null, reason), cancellationToken).ConfigureAwait(false);
            return;
        }

        var lease = await budget.TakeAsync(snapshot.CalculateSize(), cancellationToken).ConfigureAwait(false);
        var pending = new PendingSnapshot(hostId, hello.Epoch, snapshot) { HostName = hello.Host };
        // The room is given back once the writer is done with it, whether or not the agent is still there for the ack.
        _ = pending.Stored.Task.ContinueWith(_ => lease.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await awaitingAck.WriteAsync(new AckItem(snapshot.Sequence, pending.Stored.Task, null), cancellationToken).ConfigureAwait(false);
        await queue.EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    private static async Task SendAcksAsync(ChannelReader<AckItem> awaiting, IServerStreamWriter<ServerMessage> responseStream, CancellationToken cancellationToken)
    {
        try
        {
            while (await awaiting.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var ack = new Ack();
                // Acks follow the stream's order; everything already settled goes out in one message.
                while (awaiting.TryPeek(out var next) && (ack.Sequences.Count + ack.Rejected.Count == 0 || next.Stored is not { IsCompleted: false }))
                {
                    if (next.Stored is { } stored)
                    {
                        await stored.WaitAsync(cancellationToken).ConfigureAwait(false);
                        ack.Sequences.Add(next.Sequence);
                    }
                    else
                    {
                        ack.Rejected.Add(next.Sequence);
                        ack.RejectedReason = next.RejectedReason ?? "";
                    }

                    awaiting.TryRead(out _);
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

    /// <summary>With mTLS, the client certificate must name the host the agent writes for (CN or a DNS name).</summary>
    private static Status? ClientCertificateCheck(string host, ServerCallContext context)
    {
        var certificate = context.GetHttpContext().Connection.ClientCertificate;
        if (certificate is null)
        {
            return null;
        }

        var names = new[] { certificate.GetNameInfo(X509NameType.SimpleName, false), certificate.GetNameInfo(X509NameType.DnsName, false) };
        return names.Contains(host, StringComparer.OrdinalIgnoreCase)
            ? null
            : new Status(StatusCode.PermissionDenied, $"the client certificate is for {names[0]}; it cannot write data for {host}");
    }

    /// <summary>One snapshot of the stream in ack order: stored (or a resend), or rejected with a reason.</summary>
    private sealed record AckItem(ulong Sequence, Task<bool>? Stored, string? RejectedReason);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an agent for {Host} from {Peer} ({Status}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string host, string peer, StatusCode status, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent of {Host} disconnected")]
    private static partial void LogDisconnected(ILogger logger, string host);
}
