using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Tracefleet.Web.Components;

/// <summary>
/// One line per series (a key on a host, or a difference) over time, with each step's range of seconds where given. With
/// <see cref="RangeSelected"/> set, a drag across the chart selects a range of time (wwwroot/js/chart-zoom.js draws the
/// selection and measures the plot).
/// </summary>
public partial class TrendChart : IAsyncDisposable
{
    /// <summary>A drag shorter than this, in CSS pixels, is a click: it selects nothing.</summary>
    public const double MinDragPixels = 4;

    public const int MaxMarked = 20;

    /// <summary>Events marked on a chart, at most.</summary>
    public const int MaxMarkedEvents = 50;
    private const string ZoomModule = "./js/chart-zoom.js";
    private double _markTop = 1;
    private ElementReference _plot;
    private string? _attachedTo;
    private IJSObjectReference? _zoom;
    private DotNetObjectReference<TrendChart>? _self;

    [Inject]
    private IJSRuntime Js { get; set; } = null!;

    /// <summary>The lines; null while loading.</summary>
    [Parameter]
    public IReadOnlyList<ChartLine>? Lines { get; set; }

    /// <summary>Alerts that fired in the chart's range, marked on it and listed under it; null or empty: none.</summary>
    [Parameter]
    public IReadOnlyList<AlertBand>? Firings { get; set; }

    /// <summary>The host's events in the chart's range (agent connections, probes' changes), marked on it and listed under it; null or empty: none.</summary>
    [Parameter]
    public IReadOnlyList<ChartEvent>? Events { get; set; }

    /// <summary>
    /// Raised when the user drags across the chart: the times under the drag's two ends, earlier first (UTC, as the
    /// points'). Unset: the chart cannot be dragged.
    /// </summary>
    [Parameter]
    public EventCallback<(DateTime From, DateTime To)> RangeSelected { get; set; }

    /// <summary>
    /// How long each point's step is. Only when it is longer than a second are the lines' <see cref="ChartLine.Ranges"/>
    /// drawn (at one second a step's range is its one value); null: not said, no ranges drawn.
    /// </summary>
    [Parameter]
    public TimeSpan? Step { get; set; }

    /// <summary>
    /// Firings drawn on the chart: the <see cref="MaxMarked"/> latest to start (what explains the chart's right end, where a
    /// user looks first; a flapping rule's would hide the lines); the list under it names them all. Set with the parameters.
    /// </summary>
    internal IReadOnlyList<AlertBand> Marked { get; private set; } = [];

    private static string FiringTitle(AlertBand band) => $"alert {band.Rule} · {AlertText.Key(band.Key)} @ {band.Host}";

    /// <summary>Events drawn on the chart: the <see cref="MaxMarkedEvents"/> latest (a flapping agent's would hide the lines); the list names them all. Set with the parameters.</summary>
    internal IReadOnlyList<ChartEvent> MarkedEvents { get; private set; } = [];

    /// <summary>"The chart marks the 20 latest of 31 firings and the 50 latest of 60 events; the lists name them all.", or null when every one is marked.</summary>
    private string? MarksLeftOut { get; set; }

    private static string? LeftOut(int firings, int events)
    {
        var parts = new List<string>(2);
        if (firings > MaxMarked)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"the {MaxMarked} latest of {firings} firings"));
        }

        if (events > MaxMarkedEvents)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"the {MaxMarkedEvents} latest of {events} events"));
        }

        return parts.Count == 0 ? null : $"The chart marks {string.Join(" and ", parts)}; the lists name them all.";
    }

    /// <summary>The lines whose ranges are drawn, each with its place among the lines (which picks its colour).</summary>
    /// <remarks>
    /// A range with no width is no area, and Radzen draws its low and peak edges as two equal paths under one key, which the
    /// renderer refuses (duplicate key): one step, or steps whose every second was the same (one second each, live). So a
    /// line's ranges are drawn from two steps on and only once one of them is wider than nothing.
    /// </remarks>
    private IEnumerable<(ChartLine Line, int Index)> Ranged => Step > TimeSpan.FromSeconds(1)
        ? (Lines ?? []).Select((line, index) => (line, index)).Where(l => l.line.Ranges is { Count: > 1 } ranges && ranges.Any(r => r.Low < r.Peak))
        : [];

    protected override void OnParametersSet()
    {
        // The marks and the top of what is drawn, once per set of parameters rather than per mark and render.
        Marked = [.. (Firings ?? []).OrderByDescending(b => b.Start).Take(MaxMarked)];
        MarkedEvents = [.. (Events ?? []).OrderByDescending(e => e.At).Take(MaxMarkedEvents)];
        MarksLeftOut = LeftOut(Firings?.Count ?? 0, Events?.Count ?? 0);
        var top = Lines?.SelectMany(l => l.Points).Select(p => p.Value)
            .Concat(Ranged.SelectMany(l => l.Line.Ranges!).Select(r => r.Peak)).DefaultIfEmpty(0).Max() ?? 0;
        _markTop = top > 0 ? top : 1;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The plot's element is new each time lines follow a loading or empty state: listen on each one once.
        if (!RangeSelected.HasDelegate || _plot.Id is null || _plot.Id == _attachedTo)
        {
            return;
        }

        _attachedTo = _plot.Id;
        _zoom ??= await Js.InvokeAsync<IJSObjectReference>("import", ZoomModule);
        _self ??= DotNetObjectReference.Create(this);
        await _zoom.InvokeVoidAsync("attach", _plot, _self);
    }

    /// <summary>
    /// A drag ended: from <paramref name="startX"/> to <paramref name="endX"/> over a plot whose lines run from
    /// <paramref name="left"/> to <paramref name="right"/> (client pixels). Raises <see cref="RangeSelected"/> unless the
    /// drag was a click or nothing is plotted.
    /// </summary>
    [JSInvokable]
    public async Task ZoomAsync(double startX, double endX, double left, double right)
    {
        // Every time drawn sets the axis: the lines', the firings' ends and the events' marks.
        var times = (Lines ?? []).SelectMany(l => l.Points).Select(p => p.T)
            .Concat(Marked.SelectMany(b => new[] { b.Start, b.End })).Concat(MarkedEvents.Select(e => e.At)).ToList();
        if (Math.Abs(endX - startX) < MinDragPixels || right <= left || times.Count == 0)
        {
            return;
        }

        var (first, last) = (times.Min(), times.Max());
        var (a, b) = (TimeAt(startX, left, right, first, last), TimeAt(endX, left, right, first, last));
        if (a != b)
        {
            await RangeSelected.InvokeAsync(a < b ? (a, b) : (b, a));
        }
    }

    /// <summary>The time under client x <paramref name="x"/> (clamped to the plot) of a plot drawn from <paramref name="first"/> at <paramref name="left"/> to <paramref name="last"/> at <paramref name="right"/>.</summary>
    internal static DateTime TimeAt(double x, double left, double right, DateTime first, DateTime last)
    {
        var share = (Math.Clamp(x, left, right) - left) / (right - left);
        return first.AddTicks((long)Math.Round(share * (last - first).Ticks));
    }

    /// <summary>The colour the chart's scheme gives the line at <paramref name="index"/> (its series, drawn first; the scheme has 24).</summary>
    private static string SeriesColour(int index) => $"var(--rz-series-{(index % 24) + 1})";

    /// <summary>A firing's two ends, at the top of the lines drawn (so the mark neither hides them nor stretches the scale).</summary>
    private IReadOnlyList<ChartPoint> Marker(AlertBand band) => [new ChartPoint(band.Start, _markTop), new ChartPoint(band.End, _markTop)];

    /// <summary>An event's one point, at the top of the lines drawn.</summary>
    private IReadOnlyList<ChartPoint> Marker(ChartEvent e) => [new ChartPoint(e.At, _markTop)];

    public async ValueTask DisposeAsync()
    {
        if (_zoom is not null)
        {
            try
            {
                await _zoom.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The page is going away with its module.
            }
        }

        _self?.Dispose();
        GC.SuppressFinalize(this);
    }

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
        var text = scaled.ToString("0.#", CultureInfo.InvariantCulture);
        // A value that rounds to zero is 0, not "−0".
        return text == "-0" ? "0" : text.Replace("-", "−", StringComparison.Ordinal) + suffix;
    }
}

public sealed record ChartPoint(DateTime T, double Value);

/// <summary>A line; <paramref name="Ranges"/>, when given, each step's lowest and busiest second, shaded around it where the step is longer than a second.</summary>
public sealed record ChartLine(string Title, IReadOnlyList<ChartPoint> Points, IReadOnlyList<ChartRange>? Ranges = null);

/// <summary>The lowest and the busiest second of the step starting at <paramref name="T"/>, in the line's unit.</summary>
public sealed record ChartRange(DateTime T, double Low, double Peak)
{
    /// <summary>
    /// The range of a step whose average per second is <paramref name="average"/> and whose reported seconds lay between
    /// <paramref name="low"/> and <paramref name="peak"/>. An average below the lowest reported second means seconds nobody
    /// reported (a host silent, a replay paused), which the average counts as 0: the step's low is then 0, so the line is
    /// never drawn outside its own range.
    /// </summary>
    public static ChartRange Of(DateTime t, double average, double low, double peak) => new(t, low > average ? 0 : low, peak);
}
