using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Pages;

/// <summary>
/// The home page: the fleet's totals over a range (<c>range=</c>, or <c>from=</c>/<c>to=</c>; live while it ends now), then
/// every host, live. First paint from <c>/api/fleet/series</c> and <c>/api/fleet/summary</c>, then the hub's <c>fleet</c>
/// event each second, rendered at most <see cref="LiveRenderInterval"/> apart.
/// </summary>
public sealed partial class Fleet : RangePage
{
    /// <summary>About this many buckets per chart, whatever the range.</summary>
    private const int ChartBuckets = 120;

    private static readonly TimeSpan LiveRenderInterval = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, FleetRow> _rows = new(StringComparer.Ordinal);
    private readonly Coalescer _liveRender;
    private bool _loaded;
    private bool _disposed;
    private int _reporting;
    private int _known;
    private string? _problem;
    private IReadOnlyList<FleetTotals>? _totals;
    private TimeRangeSpec? _totalsRange;
    private string? _totalsProblem;

    public Fleet()
    {
        _liveRender = new Coalescer(() => InvokeAsync(() =>
        {
            if (!_disposed)
            {
                StateHasChanged();
            }
        }), LiveRenderInterval);
    }

    [Inject]
    private TracefleetApi Api { get; set; } = null!;

    [Inject]
    private ILiveFeed Live { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "filter")]
    public string? Filter { get; set; }

    private IReadOnlyList<FleetRow>? Shown => _loaded ? FleetRows.View(_rows.Values, Sort, Filter) : null;

    protected override async Task OnInitializedAsync()
    {
        Live.FleetReceived += OnFleet;
        await LoadAsync();
        await Live.JoinFleetAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_totalsRange != Range)
        {
            await LoadTotalsAsync(Range);
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            // The fleet's columns are every known probe's: learn those of agents' descriptors first.
            await Api.LearnProbesAsync();
            var summary = await Api.FleetSummaryAsync(FleetRow.SparklineSeconds);
            foreach (var host in summary?.Hosts ?? [])
            {
                var row = Describe(host);
                row.Online = host.Online;
                row.Reporting = host.Reporting;
                foreach (var (column, series) in row.PerSecond)
                {
                    series.AddRange(host.PerSecondOf(column));
                }
            }

            (_reporting, _known) = (summary?.Reporting ?? 0, summary?.Known ?? 0);
            _problem = null;
        }
        catch (HttpRequestException e)
        {
            _problem = e.Message;
        }

        _loaded = true;
    }

    /// <summary>The fleet's totals of every probe over <paramref name="range"/>, one request per probe, in buckets of one step.</summary>
    private async Task LoadTotalsAsync(TimeRangeSpec range)
    {
        _totalsRange = range;
        var (from, to) = range.Resolve(DateTime.UtcNow);
        var shown = new TimeRangeSpec(null, from, to);
        var step = shown.Step(to, ChartBuckets);
        var loaded = new List<FleetTotals>();
        string? problem = null;
        try
        {
            foreach (var probe in ProbeCatalogue.All)
            {
                if (await Api.FleetSeriesAsync(probe.Name, shown, step) is { } series)
                {
                    loaded.Add(new FleetTotals(probe, series));
                }
            }
        }
        catch (HttpRequestException e)
        {
            problem = e.Message;
        }

        // A later range chosen meanwhile has its own load.
        if (_totalsRange == range)
        {
            (_totals, _totalsProblem) = (loaded, problem);
        }
    }

    private void OnFleet(FleetSecond fleet) => _ = InvokeAsync(async () =>
    {
        // A host not seen yet, or one sending a probe the summary said it does not run (its agent restarted with others).
        var stale = false;
        foreach (var host in fleet.Hosts)
        {
            stale |= !_rows.ContainsKey(host.Name);
            var row = Row(host.Name);
            row.Online = host.Online;
            row.Reporting = host.Reporting;
            foreach (var (column, series) in row.PerSecond)
            {
                series.Add(host.TotalOf(column));
            }

            foreach (var probe in ProbeCatalogue.All)
            {
                if (host.TopKeyOf(probe) is { } top)
                {
                    stale |= !row.Runs(probe);
                    row.TopKeys[probe] = top;
                    row.TopNamedKeys[probe] = host.TopNamedKeyOf(probe);
                }
            }
        }

        if (Range.IsRelative)
        {
            foreach (var totals in _totals ?? [])
            {
                totals.Add(fleet);
            }
        }

        (_reporting, _known) = (fleet.Reporting, fleet.Known);
        _ = _liveRender.RequestAsync();
        if (stale)
        {
            // Its OS, backend and probes come from the API.
            try
            {
                foreach (var host in (await Api.FleetSummaryAsync(1))?.Hosts ?? [])
                {
                    Describe(host);
                }
            }
            catch (HttpRequestException)
            {
                // The next second asks again.
            }

            _ = _liveRender.RequestAsync();
        }
    });

    /// <summary>The row of <paramref name="host"/> with what the summary says of it: OS, backend, probes run and busiest keys.</summary>
    private FleetRow Describe(FleetSummaryHost host)
    {
        var row = Row(host.Name);
        (row.Os, row.Backend) = (host.Os, host.Backend);
        row.Probes = host.Probes.ToHashSet(StringComparer.Ordinal);
        foreach (var probe in ProbeCatalogue.All)
        {
            row.TopKeys[probe] = host.TopKeyOf(probe) ?? row.TopKeys.GetValueOrDefault(probe);
            row.TopNamedKeys[probe] = host.TopNamedKeyOf(probe) ?? row.TopNamedKeys.GetValueOrDefault(probe);
        }

        return row;
    }

    private FleetRow Row(string name)
    {
        if (!_rows.TryGetValue(name, out var row))
        {
            row = new FleetRow(name);
            _rows[name] = row;
        }

        return row;
    }

    private void FilterChangedAsync(ChangeEventArgs e) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("filter", e.Value as string is { Length: > 0 } f ? f : null), replace: true);

    private void SortChangedAsync(ChangeEventArgs e) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("sort", e.Value as string), replace: true);

    public void Dispose()
    {
        _disposed = true;
        Live.FleetReceived -= OnFleet;
        _ = Live.LeaveFleetAsync();
    }
}
