using Microsoft.AspNetCore.Components;
using Tracefleet.Web.Components;

namespace Tracefleet.Web.Pages;

/// <summary>
/// Back in time: fleet-wide top keys over a range, the chosen keys' series per host, and a time × key
/// heatmap of the top keys. URL: <c>/history?range=24h&amp;probe=kmem&amp;host=a&amp;key=k</c> (or <c>from=</c>/<c>to=</c>).
/// </summary>
public sealed partial class History : RangePage
{
    public const int MaxKeys = 5;
    private const int HeatmapKeys = 12;
    private const int HeatmapColumns = 60;
    private List<string> _allHosts = [];
    private IReadOnlyList<FleetTopRow>? _top;
    private IReadOnlyList<ChartLine>? _series;
    private TimeSpan _step;
    private HeatmapGrid? _heatmap;
    private IReadOnlyList<AlertBand>? _firings;
    private IReadOnlyList<ChartEvent>? _events;
    private int _hostsCharted;
    private string? _problem;
    private string? _firingsProblem;
    private readonly RulesOnProbe _rulesOnProbe = new();
    private (DateTime From, DateTime To) _resolved;

    [Inject]
    private TracefleetApi Api { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "probe")]
    public string? ProbeName { get; set; }

    [SupplyParameterFromQuery(Name = "host")]
    public string[]? HostNames { get; set; }

    [SupplyParameterFromQuery(Name = "key")]
    public string[]? KeyNames { get; set; }

    private ProbeDefinition Definition => ProbeChoice.Of(ProbeName);

    private string Probe => Definition.Name;

    private IReadOnlyList<string> Chosen => HostNames?.Where(h => h.Length > 0).Distinct(StringComparer.Ordinal).ToList() ?? [];

    /// <summary>The keys charted: those in the URL, else the top three.</summary>
    private IReadOnlyList<string> Keys => KeyNames is { Length: > 0 }
        ? [.. KeyNames.Distinct(StringComparer.Ordinal).Take(MaxKeys)]
        : [.. (_top ?? []).Take(3).Select(r => r.Key)];

    // The CSV links ask for the same absolute range the page shows, so the file matches the screen.
    private string TopCsv => TracefleetApi.FleetTopUrl(Probe, Shown, Chosen, 0, csv: true);

    private string SeriesCsv => TracefleetApi.SeriesUrl(Probe, Shown, Chosen, Keys, Shown.Step(_resolved.To, HeatmapColumns), csv: true);

    private TimeRangeSpec Shown => new(null, _resolved.From, _resolved.To);

    protected override async Task OnInitializedAsync()
    {
        _resolved = Range.Resolve(DateTime.UtcNow);
        try
        {
            _allHosts = [.. (await Api.HostsAsync() ?? []).Select(h => h.Name)];
        }
        catch (HttpRequestException e)
        {
            _problem = e.Message;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        _resolved = Range.Resolve(DateTime.UtcNow);
        (_top, _series, _heatmap, _firings, _events, _hostsCharted) = (null, null, null, null, null, 0);
        try
        {
            var shown = Shown;
            _top = await Api.FleetTopAsync(Probe, shown, Chosen, 50) ?? [];
            var step = shown.Step(_resolved.To, HeatmapColumns);
            var charted = await Api.SeriesAsync(Probe, shown, Chosen, Keys, step);
            _step = TimeSpan.FromMilliseconds(charted?.StepMs ?? 0);
            _series = [.. (charted?.Series ?? []).Select(s => PerSecond.Line($"{s.Key} @ {s.Host}", s.Points, Definition.RankedBy, _step))];
            var hosts = (charted?.Series ?? []).Select(s => s.Host).Distinct(StringComparer.Ordinal).ToList();
            _hostsCharted = hosts.Count;
            _events = await EventMarks.LoadAsync(Api, shown, hosts);

            var heatKeys = _top.Take(HeatmapKeys).Select(r => r.Key).ToList();
            var heat = heatKeys.Count == 0 ? null : await Api.SeriesAsync(Probe, shown, Chosen, heatKeys, step);
            _heatmap = HeatmapBins.Build(Definition.RankedBy, heat?.Series ?? [], heatKeys, _resolved.From, _resolved.To, HeatmapColumns);
            _problem = null;
        }
        catch (HttpRequestException e)
        {
            _problem = e.Message;
        }

        await LoadFiringsAsync();
    }

    /// <summary>The chosen hosts' alerts of this probe's rules, marked on the chart; a server that cannot say leaves the chart unmarked.</summary>
    private async Task LoadFiringsAsync()
    {
        try
        {
            var changes = await AlertMarks.LoadAsync(Api, Shown, Chosen, await _rulesOnProbe.ForAsync(Api, Probe));
            _firings = AlertBands.Of(changes, _resolved.From, _resolved.To);
            _firingsProblem = null;
        }
        catch (HttpRequestException e)
        {
            (_firings, _firingsProblem) = (null, e.Message);
        }
    }

    private void ProbeChanged(ChangeEventArgs e) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
    {
        ["probe"] = ProbeChoice.Of(e.Value as string).Name,
        ["key"] = null,
    }));

    private void ToggleHost(string host, ChangeEventArgs e)
    {
        var hosts = Chosen.Where(h => h != host).ToList();
        if (e.Value is true)
        {
            hosts.Add(host);
        }

        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["host"] = hosts.ToArray() }));
    }

    private void ToggleKey(string key)
    {
        var keys = Keys.ToList();
        if (!keys.Remove(key))
        {
            keys.Insert(0, key);
        }

        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["key"] = keys.Take(MaxKeys).ToArray() }));
    }
}
