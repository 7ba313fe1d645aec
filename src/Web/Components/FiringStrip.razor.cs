using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>When alerts fired within <see cref="From"/>..<see cref="To"/>, as bands on a time line (no chart library: it is a few boxes).</summary>
public partial class FiringStrip
{
    [Parameter]
    public DateTime From { get; set; }

    [Parameter]
    public DateTime To { get; set; }

    [Parameter]
    public IReadOnlyList<AlertBand> Bands { get; set; } = [];

    /// <summary>Left and width in percent of the range; a firing too short to see still gets a sliver.</summary>
    private string Style(AlertBand band)
    {
        var span = Math.Max(1, (To - From).TotalSeconds);
        var left = Math.Clamp((band.Start - From).TotalSeconds / span * 100, 0, 100);
        var width = Math.Min(Math.Max((band.End - band.Start).TotalSeconds / span * 100, 0.4), 100 - left);
        return string.Create(CultureInfo.InvariantCulture, $"left: {left:0.###}%; width: {width:0.###}%;");
    }
}
