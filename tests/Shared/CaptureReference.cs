namespace Tracefleet.TestSupport;

/// <summary>
/// A capture's totals over the whole file, per key, as the oracle for tests that send it end to end:
/// <see cref="NaiveCapture"/>'s independent reading, summed over its intervals.
/// </summary>
public static class CaptureReference
{
    public sealed record Totals(int Intervals, IReadOnlyDictionary<string, (long First, long Second)> Keys);

    public static Totals Read(string path)
    {
        var intervals = NaiveCapture.Read(path);
        var keys = new Dictionary<string, (long First, long Second)>(StringComparer.Ordinal);
        foreach (var (key, counts) in intervals.SelectMany(i => i))
        {
            var sum = keys.GetValueOrDefault(key);
            keys[key] = (sum.First + (long)counts.First, sum.Second + (long)counts.Second);
        }

        return new Totals(intervals.Count, keys);
    }
}
