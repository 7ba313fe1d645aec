namespace Tracefleet.Benchmarks.Load;

/// <summary>A capture's key names and its per-second tables of values (rows in the capture's order).</summary>
internal sealed record Capture(IReadOnlyList<string> Keys, IReadOnlyList<(ulong First, ulong Second)[]> Intervals)
{
    /// <summary>The repository's real captures: a header line opens each table, rows are "%8u [%8u] name".</summary>
    public static Capture Read(string path)
    {
        var keys = new List<string>();
        var intervals = new List<(ulong, ulong)[]>();
        var rows = new List<(ulong, ulong)>();
        foreach (var line in File.Exists(path) ? File.ReadLines(path) : [])
        {
            var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && ulong.TryParse(parts[0], out var first))
            {
                var second = parts.Length >= 3 && ulong.TryParse(parts[1], out var s) ? s : 0;
                rows.Add((first, second));
                if (!keys.Contains(parts[^1]))
                {
                    keys.Add(parts[^1]);
                }
            }
            else if (rows.Count > 0)
            {
                intervals.Add([.. rows]);
                rows.Clear();
            }
        }

        if (rows.Count > 0)
        {
            intervals.Add([.. rows]);
        }

        return new Capture(keys, intervals.Count > 0 ? intervals : [[(1, 1)]]);
    }
}

/// <summary>
/// The keys of a simulated host's probe: names from the real Linux captures, padded with plausible ones,
/// churned (about 1 % replaced each second, like short-lived files and caches), with values replayed
/// from the capture's own seconds, so the counts have the real captures' sizes and spread.
/// </summary>
internal sealed class KeySet
{
    private readonly string[] _keys;
    private readonly string _prefix;
    private readonly Capture _capture;
    private readonly Random _random;
    private long _churned;
    private int _second;

    public KeySet(string host, string probe, int count, Capture capture, Random random)
    {
        _random = random;
        _capture = capture;
        _prefix = $"{host}-{probe}";
        _second = random.Next(capture.Intervals.Count);
        _keys = [.. Enumerable.Range(0, count).Select(i => i < capture.Keys.Count ? capture.Keys[i] : probe == "kmem" ? $"kmalloc-rcl-{i}" : $"/usr/lib/x86_64-linux-gnu/libsim{i}.so.1")];
    }

    public void Churn()
    {
        var n = Math.Max(1, _keys.Length / 100);
        for (var i = 0; i < n; i++)
        {
            _keys[_random.Next(_keys.Length)] = $"/tmp/{_prefix}-churn-{++_churned}";
        }
    }

    /// <summary>The next second's rows: key i takes row i (wrapping) of the capture's next table.</summary>
    public IEnumerable<(string Key, ulong First, ulong Second)> Values()
    {
        var table = _capture.Intervals[_second++ % _capture.Intervals.Count];
        for (var i = 0; i < _keys.Length; i++)
        {
            var (first, second) = table[(i + _second) % table.Length];
            yield return (_keys[i], first, second);
        }
    }
}
