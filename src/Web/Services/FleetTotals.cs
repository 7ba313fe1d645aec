using Tracefleet.Contract;
using Tracefleet.Web.Components;

namespace Tracefleet.Web.Services;

/// <summary>
/// The fleet's totals of one probe over a range, as a chart of one line per value column (and the net) in counts per
/// second: first the server's buckets (<c>/api/fleet/series</c>), then, while the range ends now, each second of the live
/// feed summed over the hosts. Held as <see cref="RateBuckets"/>: bounded to the range's span whatever the feed's rate,
/// and a live second the server's answer already counted is not counted again. Each step is shaded from its lowest to its
/// busiest second: the server's are the hosts' own summed (a bound of the fleet's), a live second's are exact.
/// </summary>
public sealed class FleetTotals
{
    private readonly RateBuckets _buckets;
    private IReadOnlyList<ChartLine>? _lines;

    /// <summary>The totals of <paramref name="series"/>: its range, step and buckets.</summary>
    public FleetTotals(ProbeDefinition probe, FleetSeriesResponse series)
    {
        ArgumentNullException.ThrowIfNull(probe);
        (Probe, _buckets) = (probe, RateBuckets.Of(series, probe));
    }

    public ProbeDefinition Probe { get; }

    /// <summary>Length of a step of the chart.</summary>
    public TimeSpan Step => _buckets.Step;

    /// <summary>Steps held: at most the range's span ÷ step + 1.</summary>
    public int Count => _buckets.Count;

    /// <summary>Adds the hosts' totals of one live second (the interval ending at <see cref="FleetSecond.At"/>) to its step.</summary>
    public void Add(FleetSecond second)
    {
        ArgumentNullException.ThrowIfNull(second);
        var values = new ulong[Probe.ValueCount];
        foreach (var host in second.Hosts)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Counts.Add(values[i], host.TotalOf(Probe.Columns[i]));
            }
        }

        var interval = TimeSpan.FromMilliseconds(second.IntervalMs);
        if (_buckets.Add(second.At - interval, interval, values))
        {
            _lines = null;
        }
    }

    /// <summary>The chart's lines (<see cref="RateBuckets.LinesOf"/>), made once per change, not per render of the page.</summary>
    public IReadOnlyList<ChartLine> Lines() => _lines ??= _buckets.LinesOf(Probe);
}
