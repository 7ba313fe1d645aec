using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>One line per series (a key on a host, or a difference) over time.</summary>
public partial class TrendChart
{
    private const int MaxMarked = 20;
    private double _markTop = 1;

    /// <summary>The lines; null while loading.</summary>
    [Parameter]
    public IReadOnlyList<ChartLine>? Lines { get; set; }

    /// <summary>Alerts that fired in the chart's range, marked on it and listed under it; null or empty: none.</summary>
    [Parameter]
    public IReadOnlyList<AlertBand>? Firings { get; set; }

    /// <summary>Firings drawn on the chart: the first few; the list under it names them all.</summary>
    private IEnumerable<AlertBand> Marked => (Firings ?? []).Take(MaxMarked);

    protected override void OnParametersSet()
    {
        // The top of the lines drawn, once per set of lines rather than per mark and render.
        var top = Lines?.SelectMany(l => l.Points).Select(p => p.Value).DefaultIfEmpty(0).Max() ?? 0;
        _markTop = top > 0 ? top : 1;
    }

    /// <summary>A firing's two ends, at the top of the lines drawn (so the mark neither hides them nor stretches the scale).</summary>
    private IReadOnlyList<ChartPoint> Marker(AlertBand band) => [new ChartPoint(band.Start, _markTop), new ChartPoint(band.End, _markTop)];

    /// <summary>Axis labels short enough for the chart's margin: 1.2M, 350k, −20k, up to 18.4E (2^64).</summary>
    internal static string Compact(object value)
    {
        var v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        var (scaled, suffix) = Math.Abs(v) switch
        {
            >= 1e18 => (v / 1e18, "E"),
            >= 1e15 => (v / 1e15, "P"),
            >= 1e12 => (v / 1e12, "T"),
            >= 1e9 => (v / 1e9, "G"),
            >= 1e6 => (v / 1e6, "M"),
            >= 1e3 => (v / 1e3, "k"),
            _ => (v, ""),
        };
        return scaled.ToString("0.#", CultureInfo.InvariantCulture).Replace("-", "−", StringComparison.Ordinal) + suffix;
    }
}

public sealed record ChartPoint(DateTime T, double Value);

public sealed record ChartLine(string Title, IReadOnlyList<ChartPoint> Points);
