using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Uplink;

/// <summary>
/// Snapshots waiting for the server's acknowledgement, numbered in one sequence per agent epoch.
/// A snapshot leaves only when acknowledged; after a reconnect everything unacknowledged is sent again
/// (the server recognises and skips what it already stored). Bounded: live sources drop the oldest
/// snapshot when full, replay waits for room.
/// </summary>
public sealed class Outbox
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<ulong, Snapshot> _unsent = [];
    private readonly Dictionary<ulong, Snapshot> _inFlight = [];
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong _nextSequence = 1;
    private bool _completed;

    public Outbox(ulong epoch, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfZero(epoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Epoch = epoch;
        Capacity = capacity;
    }

    public ulong Epoch { get; }

    public int Capacity { get; }

    /// <summary>Snapshots dropped because the outbox was full (the server unreachable for long).</summary>
    public long Dropped { get; private set; }

    public long Acknowledged { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _unsent.Count + _inFlight.Count;
            }
        }
    }

    /// <summary>Completes when the source has finished and every snapshot is acknowledged.</summary>
    public Task Drained => _drained.Task;

    /// <summary>Adds a live snapshot; when full, the oldest one is dropped to make room.</summary>
    public Snapshot Add(Snapshot snapshot)
    {
        lock (_gate)
        {
            while (_unsent.Count + _inFlight.Count >= Capacity)
            {
                DropOldest();
            }

            return Enqueue(snapshot);
        }
    }

    /// <summary>Adds a replayed snapshot, waiting for room instead of dropping anything.</summary>
    public async Task<Snapshot> AddAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_unsent.Count + _inFlight.Count < Capacity)
                {
                    return Enqueue(snapshot);
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Says that the source will add nothing more.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Changed();
        }
    }

    /// <summary>Takes the oldest unsent snapshot, if fewer than <paramref name="window"/> are awaiting acknowledgement.</summary>
    public bool TryTakeNext(int window, out Snapshot snapshot)
    {
        lock (_gate)
        {
            if (_inFlight.Count < window && _unsent.Count > 0)
            {
                var (sequence, next) = _unsent.First();
                _unsent.Remove(sequence);
                _inFlight[sequence] = next;
                snapshot = next;
                return true;
            }

            snapshot = null!;
            return false;
        }
    }

    /// <summary>A task that completes at the next change (added, acknowledged, completed).</summary>
    public Task NextChange()
    {
        lock (_gate)
        {
            return _changed.Task;
        }
    }

    public void Acknowledge(IEnumerable<ulong> sequences)
    {
        lock (_gate)
        {
            foreach (var sequence in sequences)
            {
                if (_inFlight.Remove(sequence) || _unsent.Remove(sequence))
                {
                    Acknowledged++;
                }
            }

            Changed();
        }
    }

    /// <summary>Drops everything up to <paramref name="sequence"/>: the server says it already stored it.</summary>
    public void AcknowledgeUpTo(ulong sequence)
    {
        lock (_gate)
        {
            var stored = _unsent.Keys.Concat(_inFlight.Keys).Where(s => s <= sequence).ToList();
            foreach (var s in stored)
            {
                _ = _inFlight.Remove(s) || _unsent.Remove(s);
                Acknowledged++;
            }

            Changed();
        }
    }

    /// <summary>After a lost connection, everything unacknowledged goes out again, oldest first.</summary>
    public void Rewind()
    {
        lock (_gate)
        {
            foreach (var (sequence, snapshot) in _inFlight)
            {
                _unsent[sequence] = snapshot;
            }

            _inFlight.Clear();
            Changed();
        }
    }

    private Snapshot Enqueue(Snapshot snapshot)
    {
        snapshot.Sequence = _nextSequence++;
        _unsent[snapshot.Sequence] = snapshot;
        Changed();
        return snapshot;
    }

    private void DropOldest()
    {
        var oldestUnsent = _unsent.Count > 0 ? _unsent.Keys.First() : ulong.MaxValue;
        var oldestInFlight = _inFlight.Count > 0 ? _inFlight.Keys.Min() : ulong.MaxValue;
        if (oldestInFlight < oldestUnsent)
        {
            _inFlight.Remove(oldestInFlight);
        }
        else
        {
            _unsent.Remove(oldestUnsent);
        }

        Dropped++;
    }

    private void Changed()
    {
        if (_completed && _unsent.Count == 0 && _inFlight.Count == 0)
        {
            _drained.TrySetResult();
        }

        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
