using Tracefleet.Web.Components;

namespace Tracefleet.Web.Services;

/// <summary>Series points as a chart line per second: each step's average, and its lowest and busiest second.</summary>
public static class PerSecond
{
    /// <summary>
    /// The line of <paramref name="column"/>: each point's sum over <paramref name="step"/> as an average per second (the sum
    /// itself for a step of a second or less), with the point's low and peak as its range. A peak the server does not know
    /// leaves the point without a range; an unknown low is drawn from the average, so the range shows no low it cannot vouch for.
    /// </summary>
    public static ChartLine Line(string title, IEnumerable<SeriesPoint> points, ValueColumn column, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(points);
        var seconds = Math.Max(1, step.TotalSeconds);
        var line = new List<ChartPoint>();
        var ranges = new List<ChartRange>();
        foreach (var point in points)
        {
            var average = (point.ValueOf(column) ?? 0) / seconds;
            line.Add(new ChartPoint(point.T, average));
            if (point.PeakOf(column) is { } peak)
            {
                ranges.Add(ChartRange.Of(point.T, average, point.LowOf(column) ?? Math.Min(average, peak), peak));
            }
        }

        return new ChartLine(title, line, ranges);
    }
}
