using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>
/// Last 15 minutes … 30 days, or an absolute from/to in UTC, and "zoom out" (twice the range about its middle). It raises
/// the choice; the page puts it into its URL, where it is remembered (<see cref="Pages.RangePage"/>).
/// </summary>
public partial class TimeRangePicker
{
    private bool _absolute;
    private DateTime _from;
    private DateTime _to;
    private string? _problem;

    [Parameter]
    public TimeRangeSpec Range { get; set; } = TimeRangeSpec.Default;

    [Parameter]
    public EventCallback<TimeRangeSpec> RangeChanged { get; set; }

    protected override void OnParametersSet()
    {
        _absolute = !Range.IsRelative;
        var (from, to) = Range.Resolve(DateTime.UtcNow);
        _from = Truncate(from);
        _to = Truncate(to);
    }

    private async Task PresetChangedAsync(ChangeEventArgs e)
    {
        var value = e.Value as string;
        if (value == "absolute")
        {
            _absolute = true;
            return;
        }

        await ChooseAsync(TimeRangeSpec.Parse(value, null, null));
    }

    private async Task ApplyAbsoluteAsync()
    {
        if (_from >= _to)
        {
            _problem = "from must be before to";
            return;
        }

        _problem = null;
        await ChooseAsync(new TimeRangeSpec(null, DateTime.SpecifyKind(_from, DateTimeKind.Utc), DateTime.SpecifyKind(_to, DateTimeKind.Utc)));
    }

    private Task ChooseAsync(TimeRangeSpec range) => RangeChanged.InvokeAsync(range);

    private Task ZoomOutAsync() => ChooseAsync(Range.ZoomedOut(DateTime.UtcNow));

    private static DateTime Truncate(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);
}
