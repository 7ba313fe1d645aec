using Microsoft.AspNetCore.Components;
using Tracefleet.Web.Components;

namespace Tracefleet.Web.Pages;

/// <summary>
/// What changed between a window and the same window earlier, for one host or the fleet. URL:
/// <c>/changes?host=web-01&amp;probe=kmem&amp;range=1h&amp;against=1d&amp;column=net</c> (or <c>from=</c>/<c>to=</c>; no
/// <c>host=</c>: the fleet), <c>key=</c> for that key's two windows over time. A relative range refreshes every few seconds.
/// </summary>
public sealed partial class Changes : RangePage, IDisposable
{
    private const int RefreshSeconds = 5;
    private const int Limit = 50;
    private readonly CancellationTokenSource _stop = new();
    private List<string> _allHosts = [];
    private ChangesResponse? _data;
    private IReadOnlyList<ChartLine>? _overTime;
    private string? _problem;

    [Inject]
    private TracefleetApi Api { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "host")]
    public string? HostName { get; set; }

    [SupplyParameterFromQuery(Name = "probe")]
    public string? ProbeName { get; set; }

    [SupplyParameterFromQuery(Name = "column")]
    public string? ColumnName { get; set; }

    [SupplyParameterFromQuery(Name = "against")]
    public string? AgainstText { get; set; }

    [SupplyParameterFromQuery(Name = "key")]
    public string? Key { get; set; }

    private ProbeDefinition Definition => ProbeChoice.Of(ProbeName);

    private string Column => Measure.Name;

    /// <summary>The measure keys are ranked by: the URL's when the probe has it, else the column tops rank by.</summary>
    private ColumnMeasure Measure => ColumnMeasure.OrRankedBy(Definition, ColumnName);

    /// <summary>Every key ranked had nothing in the earlier window: on a store younger than the comparison, all of them read "new".</summary>
    private bool NothingThen => _data is { Rows.Count: > 0 } data && data.Rows.All(r => Definition.Columns.All(c => r.ThenOf(c) is null));

    private string Against => ChangeWindows.Of(AgainstText);

    /// <summary>The presets, and the URL's own duration when it is none of them (so the select shows what is compared).</summary>
    private IEnumerable<(string Against, string Label)> AgainstChoices =>
        ChangeWindows.Presets.Any(p => p.Against == Against) ? ChangeWindows.Presets : [.. ChangeWindows.Presets, (Against, ChangeWindows.Label(Against))];

    private string HostsLink => HostName is null ? "compare" : $"compare?host={Uri.EscapeDataString(HostName)}&probe={Definition.Name}";

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _allHosts = [.. (await Api.HostsAsync() ?? []).Select(h => h.Name)];
        }
        catch (HttpRequestException e)
        {
            _problem = e.Message;
        }

        _ = RefreshWhileLiveAsync(TimeSpan.FromSeconds(RefreshSeconds), LoadAsync, _stop.Token);
    }

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            var host = string.IsNullOrEmpty(HostName) ? null : HostName;
            _data = await Api.ChangesAsync(Definition.Name, Range, host, Against, Column, Limit);
            _overTime = Key is null || _data is null ? null : await TwoWindowsAsync(_data, host, Key);
            _problem = null;
        }
        catch (HttpRequestException e)
        {
            _problem = e.Message;
        }
    }

    /// <summary>The key's measure per step in both windows, the earlier one moved forward onto the later one's times.</summary>
    private async Task<IReadOnlyList<ChartLine>> TwoWindowsAsync(ChangesResponse data, string? host, string key)
    {
        var step = Range.Step(DateTime.UtcNow, 120);
        var now = new TimeRangeSpec(null, data.From, data.To);
        var then = new TimeRangeSpec(null, data.ThenFrom, data.ThenTo);
        var hosts = host is null ? Array.Empty<string>() : [host];
        var later = await Api.SeriesAsync(data.Probe, now, hosts, [key], step);
        var earlier = await Api.SeriesAsync(data.Probe, then, hosts, [key], step);
        var shift = TimeSpan.FromMilliseconds(data.AgainstMs);
        return
        [
            new ChartLine("now", PerStep(later, TimeSpan.Zero)),
            new ChartLine(ChangeWindows.Earlier(data.AgainstMs), PerStep(earlier, shift)),
        ];
    }

    /// <summary>
    /// Each step's measure summed over the hosts of <paramref name="series"/>, per second (the step's sum ÷ its seconds, as
    /// every other chart draws it), at its time moved by <paramref name="shift"/>.
    /// </summary>
    private List<ChartPoint> PerStep(SeriesResponse? series, TimeSpan shift)
    {
        var (probe, measure) = (Definition, Measure);
        var seconds = Math.Max(1, (series?.StepMs ?? 1000) / 1000.0);
        double MeasureOf(SeriesPoint p) => (double)measure.Of(p.Values.InColumnOrder(probe));
        return [.. (series?.Series ?? []).SelectMany(s => s.Points)
            .GroupBy(p => p.T)
            .OrderBy(g => g.Key)
            .Select(g => new ChartPoint(g.Key + shift, g.Sum(MeasureOf) / seconds))];
    }

    private void Go(params (string Name, object? Value)[] changes)
    {
        var parameters = changes.ToDictionary(c => c.Name, c => c.Value);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters));
    }

    private void HostChanged(ChangeEventArgs e) => Go(("host", e.Value as string is { Length: > 0 } host ? host : null), ("key", null));

    private void ProbeChanged(ChangeEventArgs e) => Go(("probe", ProbeChoice.Of(e.Value as string).Name), ("column", null), ("key", null));

    private void ColumnChanged(ChangeEventArgs e) => Go(("column", e.Value as string));

    private void AgainstChanged(ChangeEventArgs e) => Go(("against", e.Value as string));

    private void KeySelected(string key) => Go(("key", key == Key ? null : key));

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
