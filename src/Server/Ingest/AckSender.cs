using System.Threading.Channels;
using Tracefleet.Contract.V1;
using Tracefleet.Server.History;

namespace Tracefleet.Server.Ingest;

/// <summary>One snapshot of a stream in the order it arrived: on its way to the store, or refused at admission.</summary>
public sealed record AckItem(ulong Sequence, string Probe, Task<StoreResult>? Stored, Refusal? Refused);

/// <summary>
/// Answers every snapshot of one agent stream exactly once, in the order the agent sent them: stored and resent ones in
/// <see cref="Ack.Sequences"/>, refused ones in <see cref="Ack.Rejected"/> (one reason per Ack), conflicts in
/// <see cref="Ack.Conflicts"/>. What is already settled goes out together. When the store cannot write a snapshot, the
/// stream ends (<see cref="AgentRefusalKind.Unavailable"/>) so that its agent reconnects and resends: an ack it will never
/// get must not leave it waiting.
/// </summary>
public sealed class AckSender(ReplySink replies, SnapshotRefusals refusals, string host)
{
    /// <summary>
    /// Answers until <paramref name="awaiting"/> completes and is drained, or <paramref name="stream"/> is cancelled: null.
    /// When the store cannot write (or an ack cannot be sent) it cancels <paramref name="stream"/>, so reading stops too,
    /// and returns the <see cref="AgentRefusalKind.Unavailable"/> refusal that ends the stream.
    /// </summary>
    public async Task<AgentRefusal?> RunAsync(ChannelReader<AckItem> awaiting, CancellationTokenSource stream)
    {
        ArgumentNullException.ThrowIfNull(awaiting);
        ArgumentNullException.ThrowIfNull(stream);
        var cancellationToken = stream.Token;
        try
        {
            while (await awaiting.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var ack = new Ack();
                while (awaiting.TryPeek(out var next) && (IsEmpty(ack) || next.Stored is not { IsCompleted: false }))
                {
                    var result = next.Stored is { } stored
                        ? await stored.WaitAsync(cancellationToken).ConfigureAwait(false)
                        : new StoreResult(StoreOutcome.Refused, next.Refused!.Message);
                    if (result.Outcome == StoreOutcome.Refused && ack.Rejected.Count > 0 && ack.RejectedReason != result.Reason)
                    {
                        // One reason per Ack: this one goes out in the next.
                        break;
                    }

                    Add(ack, next, result);
                    awaiting.TryRead(out _);
                }

                await replies(new ServerMessage { Ack = ack }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The agent went away (or the stream is ending); what it did not see acknowledged, it sends again.
        }
        catch (Exception e)
        {
            // The store could not write (or the ack could not be sent): stop reading this stream too.
            await stream.CancelAsync().ConfigureAwait(false);
            return new AgentRefusal(AgentRefusalKind.Unavailable, $"the store cannot write now ({e.Message}); reconnect and send again");
        }

        return null;
    }

    private void Add(Ack ack, AckItem item, StoreResult result)
    {
        switch (result.Outcome)
        {
            case StoreOutcome.Stored or StoreOutcome.AlreadyStored:
                ack.Sequences.Add(item.Sequence);
                break;
            case StoreOutcome.Conflict:
                ack.Conflicts.Add(item.Sequence);
                refusals.Count(host, item.Probe, SnapshotRefusals.Conflict);
                break;
            default:
                ack.Rejected.Add(item.Sequence);
                ack.RejectedReason = result.Reason ?? "";
                refusals.Count(host, item.Probe, item.Refused?.Kind ?? Refusal.StoreRefused);
                break;
        }
    }

    private static bool IsEmpty(Ack ack) => ack.Sequences.Count + ack.Rejected.Count + ack.Conflicts.Count == 0;
}
