using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>One line per series (a key on a host, or a difference) over time.</summary>
public partial class TrendChart
{
    /// <summary>The lines; null while loading.</summary>
    [Parameter]
    public IReadOnlyList<ChartLine>? Lines { get; set; }
}

public sealed record ChartPoint(DateTime T, double Value);

public sealed record ChartLine(string Title, IReadOnlyList<ChartPoint> Points);
