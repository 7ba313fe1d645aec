using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>A live number with its last minute drawn beside it.</summary>
public partial class Sparkline
{
    [Parameter]
    public IReadOnlyList<ulong> Values { get; set; } = [];

    [Parameter]
    public string? Title { get; set; }

    private IReadOnlyList<SparkPoint> Points => [.. Values.Select((v, i) => new SparkPoint(i, v))];

    private string Last => Values.Count == 0 ? "—" : CountText.PerSecond(Values[^1]);

    private string? LastClass => Values.Count == 0 ? null : CountText.Class(Values[^1]);

    /// <summary>A point as the chart draws it: a double holds any count (to 53 bits of precision).</summary>
    public sealed record SparkPoint(int Index, double Value);
}
