using Tracefleet.Contract;

namespace Tracefleet.Server.Metrics;

/// <summary>
/// One host's probe: per key, its totals and its first value summed over the window in a few slots (a ring
/// per key, allocated once); every sum saturates (<see cref="Counts"/>). Not thread-safe: <see cref="KeyTally"/> locks.
/// A server with a thousand hosts feeds this for every stored row, so the steady state allocates nothing:
/// an earlier design keeping one dictionary per second held tens of millions of entries and kept the GC busy.
/// </summary>
internal sealed class ProbeTally(int windowSeconds)
{
    /// <summary>The window is cut into this many slots; it is exact to one slot (10 s of a 60 s window).</summary>
    private const int Slots = 6;

    private readonly long _slotSeconds = Math.Max(1, (windowSeconds + Slots - 1) / Slots);
    private readonly Dictionary<string, KeyState> _keys = new(StringComparer.Ordinal);
    private long _sweptSlot;

    /// <summary>Adds a snapshot's table in the columnar form: key i's values are <paramref name="values"/>[i × C, (i + 1) × C), C = values / keys.</summary>
    public void Add(long second, IReadOnlyList<string> keys, IReadOnlyList<ulong> values)
    {
        var slot = second / _slotSeconds;
        var width = SnapshotColumns.Width(keys, values);
        Span<ulong> row = stackalloc ulong[width];
        for (var i = 0; width > 0 && i < keys.Count; i++)
        {
            SnapshotColumns.CopyRow(values, i, row);
            if (!_keys.TryGetValue(keys[i], out var state))
            {
                _keys[keys[i]] = state = new KeyState(width);
            }

            state.Add(slot, row);
        }

        // Keys quiet for a whole window are forgotten, once a slot, so a host cycling through file names cannot
        // grow memory. One that comes back starts again from 0, which Prometheus reads as a counter reset.
        if (slot != _sweptSlot)
        {
            _sweptSlot = slot;
            foreach (var (key, state) in _keys)
            {
                if (state.LastSlot <= slot - Slots)
                {
                    _keys.Remove(key);
                }
            }
        }
    }

    public IEnumerable<(string Key, ulong[] Totals)> Top(long now, int count)
    {
        var slot = now / _slotSeconds;
        return _keys
            .Where(kv => kv.Value.LastSlot > slot - Slots)
            .Select(kv => (kv.Key, Recent: kv.Value.Recent(slot), kv.Value.Totals))
            .OrderByDescending(k => k.Recent)
            .ThenBy(k => k.Key, StringComparer.Ordinal)
            .Take(count)
            .Select(k => (k.Key, (ulong[])k.Totals.Clone()))
            .ToList();
    }

    private sealed class KeyState(int values)
    {
        private readonly ulong[] _sums = new ulong[Slots];
        private readonly long[] _slots = new long[Slots];

        public ulong[] Totals { get; private set; } = new ulong[values];

        public long LastSlot { get; private set; } = long.MinValue;

        public void Add(long slot, ReadOnlySpan<ulong> values)
        {
            if (Totals.Length < values.Length)
            {
                var grown = new ulong[values.Length];
                Totals.CopyTo(grown, 0);
                Totals = grown;
            }

            for (var i = 0; i < values.Length; i++)
            {
                Totals[i] = Counts.Add(Totals[i], values[i]);
            }

            var at = (int)(slot % Slots);
            if (_slots[at] != slot)
            {
                (_slots[at], _sums[at]) = (slot, 0);
            }

            _sums[at] = Counts.Add(_sums[at], values[0]);
            LastSlot = Math.Max(LastSlot, slot);
        }

        /// <summary>The first value summed over the slots of the window ending with <paramref name="slot"/>.</summary>
        public ulong Recent(long slot)
        {
            ulong sum = 0;
            for (var i = 0; i < Slots; i++)
            {
                if (_slots[i] > slot - Slots && _slots[i] <= slot)
                {
                    sum = Counts.Add(sum, _sums[i]);
                }
            }

            return sum;
        }
    }
}
