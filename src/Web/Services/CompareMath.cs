namespace Tracefleet.Web.Services;

/// <summary>
/// A − B and A / B between two hosts' values. A key one host never had counts as 0 in the
/// difference; the ratio is undefined (null) when B is 0 or absent, because "A is infinitely
/// more" says nothing a reader can use.
/// </summary>
public static class CompareMath
{
    public static long Difference(long? a, long? b) => (a ?? 0) - (b ?? 0);

    public static double? Ratio(long? a, long? b) => b is null or 0 ? null : (double)(a ?? 0) / b.Value;

    /// <summary>Which side has the key: both, only A, only B.</summary>
    public static string Presence(long? a, long? b) => (a, b) switch
    {
        (null, null) => "neither",
        (null, _) => "only B",
        (_, null) => "only A",
        _ => "both",
    };

    /// <summary>A − B per bucket over time, aligning the two series on their bucket times; a bucket either lacks counts as 0.</summary>
    public static IReadOnlyList<(DateTime T, long Value)> DifferenceOverTime(IEnumerable<SeriesPoint> a, IEnumerable<SeriesPoint> b)
    {
        var byTime = new SortedDictionary<DateTime, long>();
        foreach (var point in a)
        {
            byTime[point.T] = byTime.GetValueOrDefault(point.T) + point.First;
        }

        foreach (var point in b)
        {
            byTime[point.T] = byTime.GetValueOrDefault(point.T) - point.First;
        }

        return [.. byTime.Select(kv => (kv.Key, kv.Value))];
    }
}
