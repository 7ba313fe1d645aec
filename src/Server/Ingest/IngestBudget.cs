using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Bytes of snapshots accepted and not yet written, over all agents. A stream that would exceed it
/// waits (and with it, through HTTP/2 flow control, its agent): the server's memory stays bounded
/// however many agents flood it. Waiters are served first come, first served, so a flood from one
/// agent queues behind the others' snapshots instead of starving them.
/// </summary>
public sealed class IngestBudget(IOptions<LimitsOptions> options)
{
    private readonly long _capacity = options.Value.MaxInFlightMb * 1024L * 1024;
    private readonly Lock _gate = new();
    private readonly Queue<(long Bytes, TaskCompletionSource Ready)> _waiting = new();
    private long _used;

    public long InFlightBytes
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    /// <summary>Takes room for <paramref name="bytes"/>; disposing the returned lease gives it back.</summary>
    public async Task<IDisposable> TakeAsync(long bytes, CancellationToken cancellationToken)
    {
        // A snapshot bigger than the whole budget still gets through, alone.
        bytes = Math.Clamp(bytes, 1, _capacity);
        TaskCompletionSource ready;
        lock (_gate)
        {
            if (_waiting.Count == 0 && _used + bytes <= _capacity)
            {
                _used += bytes;
                return new Lease(this, bytes);
            }

            ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue((bytes, ready));
        }

        try
        {
            await ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (!ready.Task.IsCompletedSuccessfully)
                {
                    // Still queued: mark it so Release skips it.
                    ready.TrySetCanceled(cancellationToken);
                    throw;
                }
            }

            // Granted just as the stream was cancelled: give the room back.
            Release(bytes);
            throw;
        }

        return new Lease(this, bytes);
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _used -= bytes;
            while (_waiting.TryPeek(out var next))
            {
                if (next.Ready.Task.IsCanceled)
                {
                    _waiting.Dequeue();
                    continue;
                }

                if (_used + next.Bytes > _capacity && _used > 0)
                {
                    break;
                }

                _waiting.Dequeue();
                _used += next.Bytes;
                next.Ready.TrySetResult();
            }
        }
    }

    private sealed class Lease(IngestBudget budget, long bytes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                budget.Release(bytes);
            }
        }
    }
}
