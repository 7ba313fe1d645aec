using Microsoft.AspNetCore.Components;
using Tracefleet.Web.Components;

namespace Tracefleet.Web.Pages;

/// <summary>
/// Two or more hosts on the same keys. URL: <c>/compare?host=a&amp;host=b&amp;probe=kmem&amp;range=1h</c>
/// (or <c>from=</c>/<c>to=</c>), <c>key=</c> for A − B over time. A relative range refreshes every few seconds.
/// </summary>
public sealed partial class Compare : RangePage, IDisposable
{
    private const int RefreshSeconds = 5;
    private readonly CancellationTokenSource _stop = new();
    private List<string> _allHosts = [];
    private List<string> _chosen = [];
    private CompareResponse? _data;
    private IReadOnlyList<ChartLine>? _overTime;
    private string? _problem;
    private string? _probeChoice;
    private TimeRangeSpec? _rangeChoice;

    [Inject]
    private TracefleetApi Api { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "host")]
    public string[]? HostNames { get; set; }

    [SupplyParameterFromQuery(Name = "probe")]
    public string? ProbeName { get; set; }

    [SupplyParameterFromQuery(Name = "key")]
    public string? Key { get; set; }

    private List<string> Chosen => HostNames?.Where(h => h.Length > 0).Distinct(StringComparer.Ordinal).ToList() ?? [];

    private string Probe => _probeChoice ?? ProbeChoice.Of(ProbeName).Name;

    /// <summary>The range picked but not applied yet, else the one shown.</summary>
    private TimeRangeSpec PickedRange => _rangeChoice ?? Range;

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

    protected override async Task OnParametersSetAsync()
    {
        _chosen = [.. Chosen];
        (_probeChoice, _rangeChoice) = (null, null);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (Chosen.Count < 2)
        {
            return;
        }

        try
        {
            var range = Range;
            var probe = ProbeChoice.Of(ProbeName);
            _data = await Api.CompareAsync(probe.Name, range, Chosen, 50);
            if (Key is not null)
            {
                var column = probe.RankedBy;
                var series = await Api.SeriesAsync(probe.Name, range, Chosen.Take(2), [Key], range.Step(DateTime.UtcNow, 120));
                var a = series?.Series.Where(s => s.Host == Chosen[0]).SelectMany(s => s.Points) ?? [];
                var b = series?.Series.Where(s => s.Host == Chosen[1]).SelectMany(s => s.Points) ?? [];
                _overTime =
                [
                    new ChartLine(Chosen[0], [.. a.Select(p => new ChartPoint(p.T, p.ValueOf(column) ?? 0))]),
                    new ChartLine(Chosen[1], [.. b.Select(p => new ChartPoint(p.T, p.ValueOf(column) ?? 0))]),
                    new ChartLine("A − B", [.. CompareMath.DifferenceOverTime(column, a, b).Select(d => new ChartPoint(d.T, d.Value))]),
                ];
            }

            _problem = null;
        }
        catch (HttpRequestException e)
        {
            _problem = e.Message;
        }
    }

    private void Toggle(string host, ChangeEventArgs e)
    {
        _chosen.Remove(host);
        if (e.Value is true)
        {
            _chosen.Add(host);
        }
    }

    private void ProbeChanged(ChangeEventArgs e) => _probeChoice = ProbeChoice.Of(e.Value as string).Name;

    /// <summary>What comparing this probe compares, its ranked column by key: "page faults by file".</summary>
    private static string ComparedLabel(ProbeDefinition probe) => $"{probe.RankedBy.Meaning.ToLowerInvariant()} by {probe.Key.Noun}";

    private void RangeChanged(TimeRangeSpec range) => _rangeChoice = range;

    private void Apply()
    {
        var parameters = new Dictionary<string, object?>(PickedRange.QueryParameters())
        {
            ["host"] = _chosen.ToArray(),
            ["probe"] = Probe,
            ["key"] = Probe == ProbeChoice.Of(ProbeName).Name ? Key : null,
        };
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters));
    }

    private void KeySelected(string key) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("key", key));

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
