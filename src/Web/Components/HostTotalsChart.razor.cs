using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>A host's totals of one probe, all keys summed, one line per column (and the net), as rates per second over a range.</summary>
public partial class HostTotalsChart
{
    /// <summary>The probe's wire name (<see cref="ProbeCatalogue"/>): its columns name the lines and their units.</summary>
    [Parameter]
    public string Probe { get; set; } = ProbeCatalogue.All[0].Name;

    /// <summary>The lines (<see cref="RateBuckets.LinesOf"/>); null while loading.</summary>
    [Parameter]
    public IReadOnlyList<ChartLine>? Lines { get; set; }

    /// <summary>The step each point sums, which the rate divides by; zero while unknown.</summary>
    [Parameter]
    public TimeSpan Step { get; set; }

    /// <summary>True when the range ends now and new snapshots are added as they come.</summary>
    [Parameter]
    public bool Live { get; set; }

    /// <summary>A drag across the chart: the stretch of time chosen (see <see cref="TrendChart.RangeSelected"/>).</summary>
    [Parameter]
    public EventCallback<(DateTime From, DateTime To)> RangeSelected { get; set; }

    /// <summary>The host's events in the range, newest first, marked on the chart and listed under it; null: none read.</summary>
    [Parameter]
    public IReadOnlyList<ChartEvent>? Events { get; set; }

    /// <summary>Why the totals could not be read; the chart is left out while set.</summary>
    [Parameter]
    public string? Problem { get; set; }

    private ProbeDefinition Definition => ProbeChoice.Of(Probe);

    private string StepSeconds => Step.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>"allocs/s: allocations per second · frees/s: … · net/s: allocs − frees per second. Each point: a step of 8 s, its sum ÷ 8."</summary>
    private string Units
    {
        get
        {
            var lines = Definition.Columns.Select(c => $"{c.Name}/s: {c.Unit} per second").ToList();
            if (Definition.Net is { } net)
            {
                lines.Add($"{net.Name}/s: {net.Plus.Name} − {net.Minus.Name} per second");
            }

            var step = Step > TimeSpan.Zero ? $" Each point: a step of {StepSeconds} s, its sum ÷ {StepSeconds}{(Step > TimeSpan.FromSeconds(1) ? ", each column shaded from its lowest to its busiest second" : "")}." : "";
            return string.Join(" · ", lines) + "." + step;
        }
    }
}
