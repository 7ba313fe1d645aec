using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Pages;

/// <summary>
/// A page over a range of time that its URL carries (<c>range=15m</c> … <c>30d</c>, or <c>from=</c>/<c>to=</c> in
/// ISO-8601 UTC), else the one shown last on any page (<see cref="RangeMemory"/>), else <see cref="DefaultRange"/>;
/// a drag across one of its charts zooms into that stretch. A range its URL names is remembered as it is shown, however
/// it got there (the range control, a zoom, the back button, a link), so the next page opened without one follows it.
/// </summary>
public abstract class RangePage : ComponentBase
{
    [Inject]
    protected RangeMemory Memory { get; set; } = null!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private LivePause Pause { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "range")]
    public string? RangePreset { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    /// <summary>Whether the URL names a range (a preset, or either end of one).</summary>
    private bool UrlNamesRange => (RangePreset ?? From ?? To) is not null;

    /// <summary>The range shown: the URL's, else the remembered one, else <see cref="DefaultRange"/>.</summary>
    protected TimeRangeSpec Range => Memory.Or(RangePreset, From, To, DefaultRange);

    /// <summary>The range of a page opened with none in its URL and none remembered: the last 15 minutes.</summary>
    protected virtual TimeRangeSpec DefaultRange => TimeRangeSpec.Default;

    public override async Task SetParametersAsync(ParameterView parameters)
    {
        // Remembered before the page's own loading runs: the range is on screen from the first render, and a user who moves
        // on while this page still reads must find it on the next one. The tab's memory is set at once; storing it can wait.
        parameters.SetParameterProperties(this);
        var remembering = UrlNamesRange && Range != Memory.Remembered
            ? Memory.RememberAsync(Range)
            : Task.CompletedTask;
        await base.SetParametersAsync(parameters);
        await remembering;
    }

    /// <summary>
    /// Puts <paramref name="range"/> into the URL (a new history entry, so the browser's back button returns to the one
    /// before). A page opened without a range in its URL first has the range it shows written into its own entry: back
    /// would otherwise open it without one again, and it would show the range remembered by then — this new one.
    /// </summary>
    protected void ShowRange(TimeRangeSpec range)
    {
        var next = Navigation.GetUriWithQueryParameters(range.QueryParameters());
        if (!UrlNamesRange)
        {
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(Range.QueryParameters()), replace: true);
        }

        Navigation.NavigateTo(next);
    }

    /// <summary>A drag across a chart: that stretch becomes the range.</summary>
    protected void Zoomed((DateTime From, DateTime To) selected) => ShowRange(TimeRangeSpec.Between(selected.From, selected.To));

    /// <summary>
    /// Every <paramref name="period"/> while the range ends now (a preset) and live updates are not paused, <paramref name="load"/>
    /// then a render, until <paramref name="cancellationToken"/> is cancelled (the page left). An absolute range is not read again.
    /// </summary>
    protected async Task RefreshWhileLiveAsync(TimeSpan period, Func<Task> load, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (Range.IsRelative && !Pause.Paused)
                {
                    await InvokeAsync(async () => { await load(); StateHasChanged(); });
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
    }
}
