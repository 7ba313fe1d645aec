using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>
/// Written here rather than taken from the chart library: a grid of shaded cells is a table, its
/// binning is what needs testing (<see cref="HeatmapBins"/>), and keys stay plain text in row headers.
/// </summary>
public partial class Heatmap
{
    public const int Levels = 8;

    /// <summary>The binned grid; null while loading.</summary>
    [Parameter]
    public HeatmapGrid? Grid { get; set; }

    private int LabelEvery => Math.Max(1, (Grid?.ColumnStarts.Count ?? 1) / 6);

    private string TimeFormat => Grid is { ColumnWidth.TotalHours: >= 6 } ? "MM-dd HH:mm" : "HH:mm:ss";
}
