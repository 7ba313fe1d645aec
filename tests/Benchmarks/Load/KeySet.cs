namespace Tracefleet.Benchmarks.Load;

/// <summary>
/// The keys of a simulated host's probe: names taken from the real Linux captures, padded with plausible
/// ones, and churned (a few replaced each second, like short-lived files and caches), with skewed counts.
/// </summary>
internal sealed class KeySet
{
    private readonly string[] _keys;
    private readonly string _prefix;
    private readonly Random _random;
    private long _churned;

    public KeySet(string host, string probe, int count, IReadOnlyList<string> seed, Random random)
    {
        _random = random;
        _prefix = $"{host}-{probe}";
        _keys = [.. Enumerable.Range(0, count).Select(i => i < seed.Count ? seed[i] : probe == "kmem" ? $"kmalloc-rcl-{i}" : $"/usr/lib/x86_64-linux-gnu/libsim{i}.so.1")];
    }

    /// <summary>About 1 % of keys change per second.</summary>
    public void Churn()
    {
        var n = Math.Max(1, _keys.Length / 100);
        for (var i = 0; i < n; i++)
        {
            _keys[_random.Next(_keys.Length)] = $"/tmp/{_prefix}-churn-{++_churned}";
        }
    }

    public IEnumerable<(string Key, ulong First, ulong Second)> Values()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            // Zipf-like: a few busy keys, a long tail of small counts (as in the captures).
            var scale = 50_000.0 / (i + 1);
            yield return (_keys[i], (ulong)(_random.NextDouble() * scale), (ulong)(_random.NextDouble() * scale));
        }
    }

    /// <summary>Key names from the repository's real captures (rows are "%8u [%8u] name").</summary>
    public static IReadOnlyList<string> FromCapture(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        return [.. File.ReadLines(path)
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length >= 2 && ulong.TryParse(p[0], out _))
            .Select(p => p[^1])
            .Where(k => !ulong.TryParse(k, out _))
            .Distinct()];
    }
}
