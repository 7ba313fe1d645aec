using System.Data.Common;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;
using Tracefleet.Server.Events;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// One agent's stream, whatever carries it: a Hello, then snapshots and probe statuses in, a Welcome and acks out. The
/// agent was authenticated before (its <see cref="AgentIdentity"/>); this checks that the Hello names a host it may write
/// for. Validation lives in <see cref="IngestValidator"/>, <see cref="ProbeStatusGate"/> and <see cref="SnapshotAdmission"/>,
/// storage in the <see cref="SnapshotWriter"/>, acks in <see cref="AckSender"/>: an ack is sent only once the snapshot it
/// names is committed, and a snapshot that cannot be stored is refused on its own while the stream goes on. Snapshots are
/// paced (<c>Limits:MaxSnapshotsPerSecond</c>: the stream waits) and their bytes held against the shared
/// <see cref="IngestBudget"/>.
/// </summary>
public sealed partial class IngestSession(
    HostDirectory hosts,
    LearntProbes probes,
    AgentSessions sessions,
    SnapshotAdmission admission,
    IngestBudget budget,
    ProbeStatusRegistry statuses,
    HostEvents events,
    SnapshotInbox queue,
    SnapshotRefusals refusals,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    ILogger<IngestSession> logger)
{
    /// <summary>Snapshots of one stream awaiting their ack, at most; past it the stream stops reading (the transport's flow control).</summary>
    public const int MaxUnacknowledgedPerStream = 4096;

    /// <summary>
    /// Runs the stream of <paramref name="identity"/> from <paramref name="peer"/> (an address, for the log) until the agent
    /// ends it or <paramref name="cancellationToken"/> is cancelled: null, once every snapshot read has been answered (or the
    /// agent is gone). Otherwise the refusal that ends it: a first message that is no Hello or a Hello against the rules
    /// (<see cref="AgentRefusalKind.InvalidArgument"/>), another host's credentials (<see cref="AgentRefusalKind.PermissionDenied"/>),
    /// a message out of order, or a store that cannot write now (<see cref="AgentRefusalKind.Unavailable"/>).
    /// </summary>
    public async Task<AgentRefusal?> RunAsync(
        AgentIdentity identity, string peer, IAsyncEnumerable<AgentMessage> messages, ReplySink replies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(replies);
        // Ended by the agent, or by the acks when the store cannot write: either way, reading stops.
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = messages.GetAsyncEnumerator(stream.Token);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.MoveNextAsync().ConfigureAwait(false))
            {
                return null;
            }

            var hello = reader.Current.Hello;
            if (hello is null)
            {
                return new AgentRefusal(AgentRefusalKind.InvalidArgument, "the first message on the stream must be a Hello");
            }

            if (IngestValidator.CheckHello(hello) is { } problem)
            {
                return new AgentRefusal(AgentRefusalKind.InvalidArgument, problem);
            }

            IngestValidator.Normalize(hello);
            if (identity.MayWriteFor(hello.Host) is { } refusal)
            {
                LogRefused(logger, hello.Host, peer, refusal.Kind, refusal.LogDetail);
                return refusal;
            }

            HostRecord host;
            IReadOnlyDictionary<string, string> refusedProbes;
            try
            {
                refusedProbes = await probes.LearnAsync(hello, cancellationToken).ConfigureAwait(false);
                host = await hosts.RegisterAsync(hello, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DbException or DbUpdateException)
            {
                return new AgentRefusal(AgentRefusalKind.Unavailable, $"the store cannot write now ({e.GetBaseException().Message}); reconnect later");
            }

            // The host's events follow its being online, not each stream: a second stream of a connected host (an agent
            // reconnecting before its old stream is seen to end) is neither a connection nor, when one of them ends, a loss.
            using var online = sessions.Open(hello.Host, out var cameOnline, () => events.Record(hello.Host, HostEventKinds.Disconnected));
            if (cameOnline is { } change)
            {
                events.Record(
                    hello.Host, change == HostOnline.Reconnected ? HostEventKinds.Reconnected : HostEventKinds.Connected, detail: $"{hello.Backend} agent {hello.AgentVersion}");
            }

            statuses.Declare(hello.Host, hello.Probes.Select(p => p.Name));
            // Welcome.last_stored_sequence is left 0: the agent resends what is unacknowledged, and a resend is recognised.
            await replies(new ServerMessage { Welcome = new Welcome { MaxKeysPerSnapshot = (uint)limits.Value.MaxKeysPerSnapshot } }, cancellationToken)
                .ConfigureAwait(false);
            LogConnected(logger, hello.Host, hello.Backend, hello.AgentVersion, peer);
            return await ReadAsync(new Agent(host.Id, hello, refusedProbes), reader, replies, stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Snapshots and statuses after the Welcome, until the stream ends; then waits for the acks of what was read.</summary>
    private async Task<AgentRefusal?> ReadAsync(
        Agent agent, IAsyncEnumerator<AgentMessage> reader, ReplySink replies, CancellationTokenSource stream, CancellationToken cancellationToken)
    {
        var hello = agent.Hello;
        using var pace = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Value.MaxSnapshotsPerSecond,
            TokensPerPeriod = Math.Max(1, limits.Value.MaxSnapshotsPerSecond / 10),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = 1,
            AutoReplenishment = true,
        });
        var awaitingAck = Channel.CreateBounded<AckItem>(new BoundedChannelOptions(MaxUnacknowledgedPerStream) { SingleReader = true, SingleWriter = true });
        var acking = new AckSender(replies, refusals, hello.Host).RunAsync(awaitingAck.Reader, stream);
        var statusGate = new ProbeStatusGate(hello.Probes.Select(p => p.Name), limits.Value.MaxProbeStatusesPerSecond, time);
        var dropsLogged = new HashSet<string>(StringComparer.Ordinal);
        AgentRefusal? outOfOrder = null;
        try
        {
            while (outOfOrder is null && await reader.MoveNextAsync().ConfigureAwait(false))
            {
                var message = reader.Current;
                Keep(hello.Host, statusGate.Release());
                switch (message.BodyCase)
                {
                    case AgentMessage.BodyOneofCase.Snapshot:
                        // Faster than the limit: the stream waits, so the agent is paced, not cut off.
                        using (await pace.AcquireAsync(1, stream.Token).ConfigureAwait(false))
                        {
                            await AcceptAsync(agent, message.Snapshot, awaitingAck.Writer, stream.Token).ConfigureAwait(false);
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

                        if (verdict.CostProblem is { } costProblem)
                        {
                            statuses.CountDropped(ProbeStatusGate.InvalidCost);
                            if (dropsLogged.Add(ProbeStatusGate.InvalidCost))
                            {
                                LogCostDropped(logger, hello.Host, costProblem);
                            }
                        }

                        break;
                    default:
                        outOfOrder = new AgentRefusal(AgentRefusalKind.InvalidArgument, $"unexpected {message.BodyCase} after the Hello");
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stream.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The acks ended it; their refusal is returned below.
        }
        finally
        {
            Keep(hello.Host, statusGate.Release(all: true));
            awaitingAck.Writer.TryComplete();
        }

        try
        {
            // Acks for what was read still go out when the agent ends its side first (--once).
            return await acking.ConfigureAwait(false) ?? outOfOrder;
        }
        finally
        {
            LogDisconnected(logger, hello.Host);
        }
    }

    private async Task AcceptAsync(Agent agent, Snapshot snapshot, ChannelWriter<AckItem> awaitingAck, CancellationToken cancellationToken)
    {
        var hello = agent.Hello;
        var probe = SnapshotRules.ValueCount(snapshot.Probe) is null ? "unknown" : snapshot.Probe;
        var admitted = agent.RefusedProbes.TryGetValue(snapshot.Probe, out var refusedProbe)
            ? new AdmissionResult(new Refusal(Refusal.Invalid, $"snapshot {snapshot.Sequence}: the server refused probe {snapshot.Probe} at hello: {refusedProbe}"), default)
            : admission.Admit(hello.Host, snapshot, agent.MeasuresClock);
        if (admitted.Refusal is { } refused)
        {
            // Once per stream, probe and kind: a probe refused at hello is refused every second, and each is counted
            // in /metrics (tracefleet_snapshots_refused_total) rather than copied into the log.
            if (agent.RefusalsLogged.Add((probe, refused.Kind)))
            {
                LogSnapshotRefused(logger, hello.Host, snapshot.Sequence, refused.Message);
            }
            await awaitingAck.WriteAsync(new AckItem(snapshot.Sequence, probe, null, refused), cancellationToken).ConfigureAwait(false);
            return;
        }

        var lease = await budget.TakeAsync(snapshot.CalculateSize(), cancellationToken).ConfigureAwait(false);
        var pending = new PendingSnapshot(agent.HostId, hello.Epoch, snapshot) { HostName = hello.Host, Digest = admitted.Digest };
        // The room is given back once the writer is done with it, whether or not the agent is still there for the ack.
        _ = pending.Stored.Task.ContinueWith(_ => lease.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await awaitingAck.WriteAsync(new AckItem(snapshot.Sequence, probe, pending.Stored.Task, null), cancellationToken).ConfigureAwait(false);
        await queue.EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    private void Keep(string host, IReadOnlyList<ProbeStatus> kept)
    {
        foreach (var status in kept)
        {
            var before = statuses.Find(host, status.Probe)?.Status;
            if (ProbeChange.Describe(before, status) is { } change)
            {
                events.Record(host, HostEventKinds.Probe, status.Probe, change);
            }

            statuses.Report(host, status);
        }
    }

    /// <summary>The agent of a stream once welcomed: its host's row and its Hello (normalised).</summary>
    private sealed record Agent(long HostId, Hello Hello, IReadOnlyDictionary<string, string> RefusedProbes)
    {
        /// <summary>The (probe, kind) pairs of refusals already logged on this stream; one snapshot at a time, so no lock.</summary>
        public HashSet<(string Probe, string Kind)> RefusalsLogged { get; } = [];

        /// <summary>A replayed capture was stamped by another clock: its snapshots say nothing of this agent's.</summary>
        public bool MeasuresClock => Hello.Backend != "replay";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent of {Host} connected ({Backend}, agent {Version}) from {Peer}")]
    private static partial void LogConnected(ILogger logger, string host, string backend, string version, string peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an agent for {Host} from {Peer} ({Status}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string host, string peer, AgentRefusalKind status, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused snapshot {Sequence} of {Host}: {Reason} (the next of this probe and kind on this stream are counted in /metrics, not logged)")]
    private static partial void LogSnapshotRefused(ILogger logger, string host, ulong sequence, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a probe status from {Host}: {Reason} (more of the kind on this stream are only counted)")]
    private static partial void LogStatusDropped(ILogger logger, string host, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kept a probe status from {Host} without its cost: {Reason} (more of the kind on this stream are only counted)")]
    private static partial void LogCostDropped(ILogger logger, string host, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent of {Host} disconnected")]
    private static partial void LogDisconnected(ILogger logger, string host);
}
