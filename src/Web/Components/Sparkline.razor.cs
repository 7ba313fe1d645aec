using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>A live number with its last minute drawn beside it.</summary>
public partial class Sparkline
{
    [Parameter]
    public IReadOnlyList<long> Values { get; set; } = [];

    [Parameter]
    public string? Title { get; set; }

    private IReadOnlyList<SparkPoint> Points => [.. Values.Select((v, i) => new SparkPoint(i, v))];

    private string Last => Values.Count == 0 ? "—" : Values[^1].ToString("N0", CultureInfo.InvariantCulture) + "/s";

    public sealed record SparkPoint(int Index, long Value);
}
