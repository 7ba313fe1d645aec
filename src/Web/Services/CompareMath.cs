using Tracefleet.Contract;

namespace Tracefleet.Web.Services;

/// <summary>
/// A − B and A / B between two hosts' values. A key one host never had counts as 0 in the
/// difference; the ratio is undefined (null) when B is 0 or absent, because "A is infinitely
/// more" says nothing a reader can use. A saturated count is only a lower bound, so neither is
/// known (null) when one side is saturated.
/// </summary>
public static class CompareMath
{
    /// <summary>A − B exactly: two counts below 2^64 differ by less than 2^64 either way, which <see cref="Int128"/> holds.</summary>
    public static Int128? Difference(ulong? a, ulong? b) =>
        Saturated(a) || Saturated(b) ? null : (Int128)(a ?? 0) - (b ?? 0);

    public static double? Ratio(ulong? a, ulong? b) =>
        b is null or 0 || Saturated(a) || Saturated(b) ? null : (double)(a ?? 0) / b.Value;

    /// <summary>True when either side is a saturated count.</summary>
    public static bool EitherSaturated(ulong? a, ulong? b) => Saturated(a) || Saturated(b);

    /// <summary>Which side has the key: both, only A, only B.</summary>
    public static string Presence(ulong? a, ulong? b) => (a, b) switch
    {
        (null, null) => "neither",
        (null, _) => "only B",
        (_, null) => "only A",
        _ => "both",
    };

    /// <summary>
    /// A − B of <paramref name="column"/> per bucket over time, aligning the two series on their bucket times; a bucket
    /// either lacks counts as 0. Each side is summed as counts (saturating), then subtracted as doubles: a chart's value,
    /// exact up to 2^53.
    /// </summary>
    public static IReadOnlyList<(DateTime T, double Value)> DifferenceOverTime(ValueColumn column, IEnumerable<SeriesPoint> a, IEnumerable<SeriesPoint> b)
    {
        ArgumentNullException.ThrowIfNull(column);
        var byTime = new SortedDictionary<DateTime, (ulong A, ulong B)>();
        foreach (var point in a)
        {
            var sums = byTime.GetValueOrDefault(point.T);
            byTime[point.T] = (Counts.Add(sums.A, point.ValueOf(column) ?? 0), sums.B);
        }

        foreach (var point in b)
        {
            var sums = byTime.GetValueOrDefault(point.T);
            byTime[point.T] = (sums.A, Counts.Add(sums.B, point.ValueOf(column) ?? 0));
        }

        return [.. byTime.Select(kv => (kv.Key, (double)kv.Value.A - kv.Value.B))];
    }

    private static bool Saturated(ulong? value) => value is { } v && Counts.IsSaturated(v);
}
