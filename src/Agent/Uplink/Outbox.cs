using Tracefleet.Agent.Spool;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Uplink;

/// <summary>
/// Snapshots waiting for the server's acknowledgement, numbered in one sequence per agent epoch.
/// A snapshot leaves only when acknowledged or refused; after a reconnect everything unacknowledged is sent again
/// (the server recognises and skips what it already stored). When the server says a number was used before with other
/// content (a conflict: the state directory was restored or copied), the outbox settles what it sent under the epoch,
/// then starts a new epoch and numbers everything left in it again (<see cref="StartNewEpoch"/>). With a spool every snapshot is on disk
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
    // Sent at least once in this epoch and not yet answered: after a conflict only these may be sent again in it.
    private readonly HashSet<ulong> _sentUnsettled = [];
    private readonly SortedDictionary<ulong, Snapshot?> _conflicted = [];
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
        _epoch = epoch;
        Capacity = capacity;
        _sequences = sequences ?? new MemorySequence();
        _store = store;
    }

    private ulong _epoch;

    /// <summary>The epoch the outbox's sequences belong to; changes only in <see cref="StartNewEpoch"/>.</summary>
    public ulong Epoch
    {
        get
        {
            lock (_gate)
            {
                return _epoch;
            }
        }
    }

    /// <summary>True once the server reported a conflict: the next snapshots must go under a new epoch.</summary>
    public bool NeedsNewEpoch
    {
        get
        {
            lock (_gate)
            {
                return _conflicted.Count > 0;
            }
        }
    }

    /// <summary>True when a new epoch is needed and everything sent under this one has been answered.</summary>
    public bool ReadyForNewEpoch
    {
        get
        {
            lock (_gate)
            {
                return _conflicted.Count > 0 && _sentUnsettled.Count == 0;
            }
        }
    }

    /// <summary>Sent and not yet answered.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count;
            }
        }
    }

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
                return _unsent.Count + _inFlight.Count + _conflicted.Count;
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
                if (PickNext() is not { } sequence)
                {
                    break;
                }

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
                    _sentUnsettled.Remove(sequence);
                    Dropped++;
                    lost = true;
                    continue;
                }

                _inFlight[sequence] = kept;
                _sentUnsettled.Add(sequence);
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

    /// <summary>
    /// The server will never store these: they leave without being counted as delivered (set aside in the store with
    /// <paramref name="reason"/>). <paramref name="refusedProbe"/> hears the probe of each, before anyone waiting on the
    /// outbox does (a <c>--once</c> agent ends once it is drained, and its last status must count them) — whether the
    /// snapshot was in flight or back among the unsent (a reconnect rewound it before the refusal arrived), in memory or
    /// only in the spool.
    /// </summary>
    public void Reject(IEnumerable<ulong> sequences, string reason, Action<string>? refusedProbe = null)
    {
        lock (_gate)
        {
            foreach (var sequence in sequences)
            {
                if (ForgetWithoutStore(sequence, out var held))
                {
                    if (refusedProbe is not null && (held ?? _store?.Load(sequence)) is { } snapshot)
                    {
                        refusedProbe(snapshot.Probe);
                    }

                    _store?.SetAside(sequence, reason);
                    Rejected++;
                }
            }

            Changed();
        }
    }

    /// <summary>Snapshots the server refused, since the agent started.</summary>
    public long Rejected { get; private set; }

    /// <summary>
    /// The server stored these numbers of this epoch before, with other content. They are kept (nothing of them was
    /// stored) until <see cref="StartNewEpoch"/> numbers them again; meanwhile nothing new is sent under this epoch.
    /// </summary>
    public void Conflict(IEnumerable<ulong> sequences)
    {
        lock (_gate)
        {
            foreach (var sequence in sequences)
            {
                if (_inFlight.Remove(sequence, out var snapshot))
                {
                    _sentUnsettled.Remove(sequence);
                    _conflicted[sequence] = snapshot;
                }
            }

            Changed();
        }
    }

    /// <summary>
    /// Starts a new epoch and gives every snapshot still here (conflicted and unsent, in their old order) a new sequence
    /// in it, in the store too. Call when <see cref="ReadyForNewEpoch"/>, after <see cref="Rewind"/> (nothing in flight).
    /// Returns the new epoch and how many snapshots it holds.
    /// </summary>
    public (ulong Epoch, int Renumbered) StartNewEpoch()
    {
        lock (_gate)
        {
            if (_inFlight.Count > 0 || _sentUnsettled.Count > 0)
            {
                throw new InvalidOperationException("snapshots sent under the current epoch are not all answered yet");
            }

            var waiting = new SortedDictionary<ulong, Snapshot?>(_unsent);
            foreach (var (sequence, snapshot) in _conflicted)
            {
                waiting[sequence] = snapshot;
            }

            _unsent.Clear();
            _conflicted.Clear();
            _cached = 0;
            _epoch = _sequences.BeginNewEpoch();
            // In ascending order a new number never lands on an old one not yet renumbered (the i-th new one is i + 1 <= the i-th old one).
            foreach (var (old, kept) in waiting)
            {
                var snapshot = kept ?? _store?.Load(old);
                if (snapshot is null)
                {
                    Dropped++;
                    continue;
                }

                snapshot.Sequence = _sequences.Allocate();
                _store?.Renumber(old, snapshot);
                Keep(snapshot.Sequence, snapshot);
            }

            Changed();
            return (_epoch, _unsent.Count);
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

    private ulong? PickNext()
    {
        if (_conflicted.Count > 0)
        {
            // Only what was sent under this epoch goes out again in it, to learn whether it was stored; the rest waits.
            ulong? lowest = null;
            foreach (var sequence in _sentUnsettled)
            {
                if (_unsent.ContainsKey(sequence) && (lowest is null || sequence < lowest))
                {
                    lowest = sequence;
                }
            }

            return lowest;
        }

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

    private bool ForgetWithoutStore(ulong sequence) => ForgetWithoutStore(sequence, out _);

    /// <summary>Forgets <paramref name="sequence"/> here; <paramref name="held"/> is the snapshot when it was in memory (null: only in the store).</summary>
    private bool ForgetWithoutStore(ulong sequence, out Snapshot? held)
    {
        _sentUnsettled.Remove(sequence);
        if (_inFlight.Remove(sequence, out held))
        {
            return true;
        }

        if (_unsent.Remove(sequence, out held))
        {
            if (held is not null)
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
        if (_completed && _unsent.Count == 0 && _inFlight.Count == 0 && _conflicted.Count == 0)
        {
            _drained.TrySetResult();
        }

        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
