using Google.Protobuf.Collections;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Metrics;

/// <summary>One host's probe: a ring of per-second sums (first value) and totals per key. Not thread-safe: <see cref="KeyTally"/> locks.</summary>
internal sealed class ProbeTally(int windowSeconds)
{
    // Totals of keys gone quiet are forgotten past this many, so a host cycling through names cannot grow memory
    // (a forgotten key that comes back starts again from 0, which Prometheus reads as a counter reset).
    private const int MaxTrackedKeys = 5000;

    private readonly (long Second, Dictionary<string, ulong> Sums)[] _ring = new (long, Dictionary<string, ulong>)[windowSeconds];
    private readonly Dictionary<string, ulong[]> _totals = new(StringComparer.Ordinal);

    public void Add(long second, RepeatedField<Row> rows)
    {
        ref var slot = ref _ring[second % _ring.Length];
        if (slot.Second != second || slot.Sums is null)
        {
            slot = (second, new Dictionary<string, ulong>(StringComparer.Ordinal));
        }

        foreach (var row in rows)
        {
            if (row.Values.Count == 0)
            {
                continue;
            }

            slot.Sums[row.Key] = slot.Sums.GetValueOrDefault(row.Key) + row.Values[0];
            if (!_totals.TryGetValue(row.Key, out var totals) || totals.Length < row.Values.Count)
            {
                var grown = new ulong[row.Values.Count];
                totals?.CopyTo(grown, 0);
                _totals[row.Key] = totals = grown;
            }

            for (var i = 0; i < row.Values.Count; i++)
            {
                totals[i] += row.Values[i];
            }
        }

        if (_totals.Count > MaxTrackedKeys)
        {
            Forget(second);
        }
    }

    public IEnumerable<(string Key, ulong[] Totals)> Top(long now, int count)
    {
        var recent = Window(now);
        return recent
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(count)
            .Select(kv => (kv.Key, _totals.TryGetValue(kv.Key, out var totals) ? (ulong[])totals.Clone() : []))
            .ToList();
    }

    private Dictionary<string, ulong> Window(long now)
    {
        var recent = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var (second, sums) in _ring)
        {
            if (sums is null || second <= now - _ring.Length || second > now)
            {
                continue;
            }

            foreach (var (key, sum) in sums)
            {
                recent[key] = recent.GetValueOrDefault(key) + sum;
            }
        }

        return recent;
    }

    private void Forget(long now)
    {
        var recent = Window(now);
        foreach (var key in _totals.Keys.Where(k => !recent.ContainsKey(k)).ToList())
        {
            _totals.Remove(key);
        }
    }
}
