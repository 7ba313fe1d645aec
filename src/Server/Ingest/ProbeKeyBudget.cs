using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// The keys of one host's probe that are stored under their own names, at most <c>maxKeys</c>, each with a decayed
/// activity of its first value (faults, allocations):
/// <code>A(t) = Σ vᵢ · e^(−(t − tᵢ) / τ)</code>
/// summed over the snapshots that carried the key, vᵢ the value in snapshot i, tᵢ the server's clock when it arrived
/// (seconds), τ = <see cref="TimeConstantSeconds"/>. A key that arrives every d seconds at r per second settles at
/// A ≈ r·τ, so A/τ reads as its recent rate; a key that stops decays by a factor e every τ.
/// A key seen for the first time is credited as if it had run at its first snapshot's rate for a while: A = v·τ/d
/// (its value v over the snapshot's length d in seconds). With the budget full it takes the place of the tracked key
/// with the least activity when its credit is larger, and is folded into "(other)" otherwise; a key at the same rate
/// as the least tracked one does not displace it, so steady keys do not swap places every second. Keys unseen for the
/// idle time leave. Keys are remembered by hash: a rare collision only lets one key in under another's entry.
/// Not thread-safe: <see cref="HostKeyBudget"/> locks.
/// </summary>
/// <remarks>
/// The activities are kept scaled by e^((now − landmark) / τ) (forward decay), so time passing changes no entry and
/// their order stays put: a min-heap on the scaled value gives the least busy key at once, and a snapshot costs
/// O(rows · log keys), never a scan of the budget. The landmark moves every <see cref="RescaleAfterTimeConstants"/>·τ
/// (one pass over the keys) before the scale could overflow. Idle keys are looked for once per sweep period, at most
/// a minute, and a budget a quarter full gives back its spare memory then.
/// </remarks>
internal sealed class ProbeKeyBudget
{
    /// <summary>τ of the decayed activity, in seconds.</summary>
    public const double TimeConstantSeconds = 60;

    private const double RescaleAfterTimeConstants = 40;
    private const int InitialCapacity = 16;

    private Dictionary<int, int> _byHash = [];
    private Entry[] _entries = [];

    // Entry slots, least activity first: _heap[0] is the key a busier newcomer replaces.
    private int[] _heap = [];
    private int _count;
    private double _landmark = double.NaN;
    private long _pass;

    public FoldCounts Folds { get; } = new();

    /// <summary>Keys tracked now.</summary>
    public int Count => _count;

    /// <summary>When idle keys are next looked for (seconds on the budget's clock).</summary>
    public double NextSweep { get; private set; } = double.NegativeInfinity;

    /// <summary>
    /// Updates the budget with <paramref name="snapshot"/> (columnar, <see cref="SnapshotColumns"/>) at <paramref name="now"/>
    /// (seconds, monotonic) and returns the indexes of its rows that must be folded into "(other)", or null for none. Rows not returned are tracked keys. A tracked key of this
    /// snapshot that a busier newcomer replaced is returned too, so no snapshot stores more than <paramref name="maxKeys"/> keys.
    /// </summary>
    public List<int>? Admit(Snapshot snapshot, int maxKeys, double now, double idleSeconds)
    {
        var weight = Weight(now);
        if (now >= NextSweep)
        {
            Sweep(now, idleSeconds);
        }

        while (_count > Math.Max(0, maxKeys))
        {
            Remove(_heap[0]);
        }

        _pass++;
        var keys = snapshot.Keys;
        var width = SnapshotColumns.Width(snapshot);
        List<int>? newcomers = null;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (key == KeyBudget.Other)
            {
                continue;
            }

            if (_byHash.TryGetValue(Hash(key), out var slot))
            {
                Touch(slot, Activity(snapshot, width, i) * weight, now, i);
            }
            else
            {
                (newcomers ??= []).Add(i);
            }
        }

        return newcomers is null ? null : AdmitNewcomers(snapshot, width, newcomers, maxKeys, TimeConstantSeconds / (Math.Max(1u, snapshot.DurationMs) / 1000.0), now, weight);
    }

    /// <summary>Removes the keys unseen for <paramref name="idleSeconds"/> and gives back spare memory.</summary>
    public void Sweep(double now, double idleSeconds)
    {
        NextSweep = now + Math.Min(60, idleSeconds / 4);
        var cutoff = now - idleSeconds;
        // From the end: a removal moves the last entry into the freed slot, one already looked at.
        for (var slot = _count - 1; slot >= 0; slot--)
        {
            if (_entries[slot].LastSeen <= cutoff)
            {
                Remove(slot);
            }
        }

        if (_entries.Length > InitialCapacity && _count < _entries.Length / 4)
        {
            Resize(Math.Max(InitialCapacity, _count * 2));
            _byHash.TrimExcess();
        }
    }

    private List<int>? AdmitNewcomers(Snapshot snapshot, int width, List<int> newcomers, int maxKeys, double creditPerValue, double now, double weight)
    {
        // Busiest first, as the per-snapshot cap orders them: a full budget takes the busiest and folds the rest.
        newcomers.Sort((a, b) => SnapshotColumns.Busier(snapshot, width, a, b));
        List<int>? folded = null;
        foreach (var i in newcomers)
        {
            var hash = Hash(snapshot.Keys[i]);
            var activity = Activity(snapshot, width, i);
            var credit = activity * creditPerValue * weight;
            if (_byHash.TryGetValue(hash, out var slot))
            {
                // Its hash is that of a newcomer admitted a moment ago.
                Touch(slot, activity * weight, now, i);
            }
            else if (_count < maxKeys)
            {
                Add(hash, credit, now, i, maxKeys);
            }
            else if (_count > 0 && credit > _entries[_heap[0]].Score)
            {
                var least = _heap[0];
                if (_entries[least].Pass == _pass)
                {
                    (folded ??= []).Add(_entries[least].Row);
                }

                _byHash.Remove(_entries[least].Hash);
                _entries[least] = new Entry { Hash = hash, Score = credit, LastSeen = now, Pass = _pass, Row = i, HeapPosition = 0 };
                _byHash[hash] = least;
                SiftDown(0);
            }
            else
            {
                (folded ??= []).Add(i);
            }
        }

        if (folded is not null)
        {
            Folds.Add(now, folded.Count);
        }

        return folded;
    }

    /// <summary>e^((now − landmark) / τ): what a value adds to a key's scaled activity now.</summary>
    private double Weight(double now)
    {
        if (double.IsNaN(_landmark))
        {
            _landmark = now;
        }

        var age = (now - _landmark) / TimeConstantSeconds;
        if (age > RescaleAfterTimeConstants)
        {
            var factor = Math.Exp(-age);
            for (var slot = 0; slot < _count; slot++)
            {
                _entries[slot].Score *= factor;
            }

            _landmark = now;
            age = 0;
        }

        return Math.Exp(age);
    }

    private void Touch(int slot, double added, double now, int row)
    {
        ref var entry = ref _entries[slot];
        entry.Score += added;
        entry.LastSeen = now;
        entry.Pass = _pass;
        entry.Row = row;
        SiftDown(entry.HeapPosition);
    }

    private void Add(int hash, double score, double now, int row, int maxKeys)
    {
        if (_count == _entries.Length)
        {
            Resize(Math.Min(Math.Max(InitialCapacity, _entries.Length * 2), maxKeys));
        }

        var slot = _count++;
        _entries[slot] = new Entry { Hash = hash, Score = score, LastSeen = now, Pass = _pass, Row = row };
        _byHash[hash] = slot;
        Place(slot, slot);
        SiftUp(slot);
    }

    private void Remove(int slot)
    {
        var position = _entries[slot].HeapPosition;
        _count--;
        if (position < _count)
        {
            var moved = _heap[_count];
            Place(moved, position);
            SiftDown(position);
            SiftUp(_entries[moved].HeapPosition);
        }

        _byHash.Remove(_entries[slot].Hash);
        if (slot != _count)
        {
            // Keep the entries dense: the last one takes the freed slot.
            _entries[slot] = _entries[_count];
            _byHash[_entries[slot].Hash] = slot;
            _heap[_entries[slot].HeapPosition] = slot;
        }

        if (_count == 0)
        {
            // A budget that emptied (a host gone quiet) keeps nothing but its fold counts.
            (_entries, _heap, _byHash) = ([], [], []);
        }
    }

    private void Resize(int capacity)
    {
        Array.Resize(ref _entries, capacity);
        Array.Resize(ref _heap, capacity);
    }

    private void SiftUp(int position)
    {
        var slot = _heap[position];
        var score = _entries[slot].Score;
        while (position > 0)
        {
            var parent = (position - 1) / 2;
            if (!(score < _entries[_heap[parent]].Score))
            {
                break;
            }

            Place(_heap[parent], position);
            position = parent;
        }

        Place(slot, position);
    }

    private void SiftDown(int position)
    {
        var slot = _heap[position];
        var score = _entries[slot].Score;
        while (true)
        {
            var child = (2 * position) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && _entries[_heap[child + 1]].Score < _entries[_heap[child]].Score)
            {
                child++;
            }

            if (!(_entries[_heap[child]].Score < score))
            {
                break;
            }

            Place(_heap[child], position);
            position = child;
        }

        Place(slot, position);
    }

    private void Place(int slot, int position)
    {
        _heap[position] = slot;
        _entries[slot].HeapPosition = position;
    }

    private static int Hash(string key) => key.GetHashCode(StringComparison.Ordinal);

    /// <summary>A key's activity: the value of its probe's ranked column, a row's first (<see cref="ProbeDefinition.RankedBy"/>).</summary>
    private static double Activity(Snapshot snapshot, int width, int row) => width > 0 ? snapshot.Values[row * width] : 0;

    private struct Entry
    {
        public int Hash;
        public int HeapPosition;

        /// <summary>The activity scaled by e^((now − landmark) / τ); comparable between entries at any time.</summary>
        public double Score;

        /// <summary>When a snapshot last carried the key (seconds).</summary>
        public double LastSeen;

        /// <summary>The <see cref="Admit"/> call that last carried it, and its row there: a replaced key of this snapshot is folded.</summary>
        public long Pass;
        public int Row;
    }
}
