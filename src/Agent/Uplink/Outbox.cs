using Tracefleet.Agent.Spool;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Uplink;

/// <summary>
/// Snapshots waiting for the server's acknowledgement, numbered in one sequence per agent epoch.
/// A snapshot leaves only when acknowledged; after a reconnect everything unacknowledged is sent again
/// (the server recognises and skips what it already stored). With a spool every snapshot is on disk
/// before it can be sent, and only the next few are held in memory. Bounded: by count in memory (live
/// sources drop the oldest, replay waits for acknowledgements) and by the spool's size and age on disk.
/// </summary>
public sealed class Outbox
{
    /// <summary>Unsent snapshots kept in memory when a spool holds them all anyway.</summary>
    public const int MemoryWindow = 512;

    /// <summary>Past this backlog, every other snapshot sent is the newest, so live data is not starved while a backlog drains.</summary>
    public const int InterleaveBacklog = 64;

    private readonly Lock _gate = new();
    private readonly SortedDictionary<ulong, Snapshot?> _unsent = [];
    private readonly Dictionary<ulong, Snapshot> _inFlight = [];
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ISequenceSource _sequences;
    private readonly ISnapshotStore? _store;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cached;
    private bool _newestNext;
    private bool _completed;

    public Outbox(ulong epoch, int capacity, ISequenceSource? sequences = null, ISnapshotStore? store = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(epoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Epoch = epoch;
        Capacity = capacity;
        _sequences = sequences ?? new MemorySequence();
        _store = store;
    }

    public ulong Epoch { get; }

    public int Capacity { get; }

    /// <summary>Snapshots dropped unsent: the outbox or the spool was full (the server unreachable for long).</summary>
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

    /// <summary>Puts back what a previous run spooled and never saw acknowledged; sent first.</summary>
    public void Restore(IEnumerable<Snapshot> spooled)
    {
        lock (_gate)
        {
            foreach (var snapshot in spooled)
            {
                Keep(snapshot.Sequence, snapshot);
            }

            Changed();
        }
    }

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
    public Task<Snapshot> AddAsync(Snapshot snapshot, CancellationToken cancellationToken) =>
        AddAsync(snapshot, int.MaxValue, cancellationToken);

    /// <summary>
    /// Adds a snapshot once fewer than <paramref name="backlog"/> (and than <see cref="Capacity"/>) are waiting for
    /// acknowledgement: a source that can wait (a replay) is paced by the server's acknowledgements, with or
    /// without a spool, and never runs ahead of the uplink.
    /// </summary>
    public async Task<Snapshot> AddAsync(Snapshot snapshot, int backlog, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(backlog, 1);
        var limit = Math.Min(backlog, Capacity);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_unsent.Count + _inFlight.Count < limit)
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

    /// <summary>Takes the next unsent snapshot, if fewer than <paramref name="window"/> are awaiting acknowledgement.</summary>
    public bool TryTakeNext(int window, out Snapshot snapshot)
    {
        lock (_gate)
        {
            var lost = false;
            while (_inFlight.Count < window && _unsent.Count > 0)
            {
                var sequence = PickNext();
                _unsent.Remove(sequence, out var kept);
                if (kept is null && _store?.Load(sequence) is { } loaded)
                {
                    kept = loaded;
                }
                else if (kept is not null)
                {
                    _cached--;
                }

                if (kept is null)
                {
                    // Its spool file is gone or damaged: nothing left to send.
                    Dropped++;
                    lost = true;
                    continue;
                }

                _inFlight[sequence] = kept;
                snapshot = kept;
                return true;
            }

            if (lost)
            {
                Changed();
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
                if (Forget(sequence))
                {
                    Acknowledged++;
                }
            }

            Changed();
        }
    }

    /// <summary>The server will never store these: they leave without being counted as delivered.</summary>
    public void Reject(IEnumerable<ulong> sequences)
    {
        lock (_gate)
        {
            foreach (var sequence in sequences)
            {
                if (Forget(sequence))
                {
                    Dropped++;
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
                Forget(s);
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
                _cached++;
            }

            _inFlight.Clear();
            Changed();
        }
    }

    private ulong PickNext()
    {
        if (_unsent.Count <= InterleaveBacklog)
        {
            return _unsent.Keys.First();
        }

        _newestNext = !_newestNext;
        return _newestNext ? _unsent.Keys.Last() : _unsent.Keys.First();
    }

    private Snapshot Enqueue(Snapshot snapshot)
    {
        snapshot.Sequence = _sequences.Allocate();
        if (_store is not null)
        {
            // On disk before it can be sent: an acknowledged snapshot was always spooled first.
            foreach (var dropped in _store.Save(snapshot))
            {
                if (dropped != snapshot.Sequence && ForgetWithoutStore(dropped))
                {
                    Dropped++;
                }
            }
        }

        Keep(snapshot.Sequence, snapshot);
        Changed();
        return snapshot;
    }

    private void Keep(ulong sequence, Snapshot snapshot)
    {
        if (_store is not null && _cached >= MemoryWindow)
        {
            _unsent[sequence] = null;
        }
        else
        {
            _unsent[sequence] = snapshot;
            _cached++;
        }
    }

    private bool Forget(ulong sequence)
    {
        if (!ForgetWithoutStore(sequence))
        {
            return false;
        }

        _store?.Delete(sequence);
        return true;
    }

    private bool ForgetWithoutStore(ulong sequence)
    {
        if (_inFlight.Remove(sequence))
        {
            return true;
        }

        if (_unsent.Remove(sequence, out var kept))
        {
            if (kept is not null)
            {
                _cached--;
            }

            return true;
        }

        return false;
    }

    private void DropOldest()
    {
        var oldestUnsent = _unsent.Count > 0 ? _unsent.Keys.First() : ulong.MaxValue;
        var oldestInFlight = _inFlight.Count > 0 ? _inFlight.Keys.Min() : ulong.MaxValue;
        Forget(Math.Min(oldestUnsent, oldestInFlight));
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
