using Google.Protobuf;

namespace Tracefleet.Benchmarks.Load;

/// <summary>A capture's key names, in first-seen order, and every value each key took (one entry per second it printed).</summary>
internal sealed record Capture(IReadOnlyList<string> Keys, IReadOnlyList<(ulong First, ulong Second)[]> Values)
{
    /// <summary>The repository's real captures: a header line opens each table, rows are "%8u [%8u] name".</summary>
    public static Capture Read(string path)
    {
        var values = new Dictionary<string, List<(ulong, ulong)>>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var line in File.Exists(path) ? File.ReadLines(path) : [])
        {
            var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && ulong.TryParse(parts[0], out var first))
            {
                var second = parts.Length >= 3 && ulong.TryParse(parts[1], out var s) ? s : 0;
                if (!values.TryGetValue(parts[^1], out var list))
                {
                    values[parts[^1]] = list = [];
                    keys.Add(parts[^1]);
                }

                list.Add((first, second));
            }
        }

        return keys.Count > 0 ? new Capture(keys, [.. keys.Select(k => values[k].ToArray())]) : new Capture(["(none)"], [[(1, 1)]]);
    }
}

/// <summary>
/// The keys of a simulated host's probe: names from the real Linux captures, padded with plausible ones,
/// churned (about 1 % replaced each second, like short-lived files and caches). Each second, each key's values
/// are drawn at random from the values of its capture key (padded keys borrow one), so nothing repeats with a
/// period and the counts keep the captures' sizes and spread. The same seed gives the same keys and values.
/// </summary>
internal sealed class KeySet
{
    private readonly string[] _keys;
    private readonly ByteString[] _encoded;
    private readonly (ulong First, ulong Second)[][] _pools;
    private readonly string _prefix;
    private readonly Random _random;
    private readonly ulong[] _first;
    private readonly ulong[] _second;
    private readonly List<long> _starts = [];
    private long _churned;

    public KeySet(string host, string probe, int count, Capture capture, int seed)
    {
        _random = new Random(seed);
        _prefix = $"{host}-{probe}";
        _keys = [.. Enumerable.Range(0, count).Select(i => i < capture.Keys.Count ? capture.Keys[i] : probe == "kmem" ? $"kmalloc-rcl-{i}" : $"/usr/lib/x86_64-linux-gnu/libsim{i}.so.1")];
        _encoded = [.. _keys.Select(SnapshotEncoder.Utf8)];
        _pools = [.. Enumerable.Range(0, count).Select(i => capture.Values[i % capture.Values.Count])];
        _first = new ulong[count];
        _second = new ulong[count];
    }

    /// <summary>The current keys, in slot order; a churned slot holds its new key.</summary>
    public IReadOnlyList<string> Keys => _keys;

    public ReadOnlySpan<ByteString> EncodedKeys => _encoded;

    /// <summary>Each slot's first column for the second drawn by the last <see cref="Next"/>.</summary>
    public ReadOnlySpan<ulong> First => _first;

    public ReadOnlySpan<ulong> Second => _second;

    /// <summary>The start (Unix ms) of every second drawn so far, in order: what a replay from the seed needs.</summary>
    public IReadOnlyList<long> Starts => _starts;

    /// <summary>The next second: churns about 1 % of the keys, then draws every slot's values.</summary>
    public void Next(long startUnixMs)
    {
        _starts.Add(startUnixMs);
        var n = Math.Max(1, _keys.Length / 100);
        for (var i = 0; i < n; i++)
        {
            var slot = _random.Next(_keys.Length);
            _keys[slot] = $"/tmp/{_prefix}-churn-{++_churned}";
            _encoded[slot] = SnapshotEncoder.Utf8(_keys[slot]);
        }

        for (var i = 0; i < _keys.Length; i++)
        {
            var pool = _pools[i];
            (_first[i], _second[i]) = pool[_random.Next(pool.Length)];
        }
    }
}
