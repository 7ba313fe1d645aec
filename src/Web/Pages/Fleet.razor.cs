using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Pages;

/// <summary>The home page: every host, live. First paint from <c>/api/fleet/summary</c>, then the hub's <c>fleet</c> event each second.</summary>
public sealed partial class Fleet
{
    private readonly Dictionary<string, FleetRow> _rows = new(StringComparer.Ordinal);
    private bool _loaded;
    private int _reporting;
    private int _known;
    private string? _problem;

    [Inject]
    private TracefleetApi Api { get; set; } = null!;

    [Inject]
    private ILiveFeed Live { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

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

    private async Task LoadAsync()
    {
        try
        {
            // The fleet's columns are every known probe's: learn those of agents' descriptors first.
            await Api.LearnProbesAsync();
            var summary = await Api.FleetSummaryAsync(FleetRow.SparklineSeconds);
            foreach (var host in summary?.Hosts ?? [])
            {
                var row = Row(host.Name);
                row.Os = host.Os;
                row.Backend = host.Backend;
                row.Online = host.Online;
                row.Reporting = host.Reporting;
                foreach (var (column, series) in row.PerSecond)
                {
                    series.AddRange(host.PerSecondOf(column));
                }

                foreach (var probe in ProbeCatalogue.All)
                {
                    row.TopKeys[probe] = host.TopKeyOf(probe);
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

    private void OnFleet(FleetSecond fleet) => _ = InvokeAsync(async () =>
    {
        var unknownHost = false;
        foreach (var host in fleet.Hosts)
        {
            unknownHost |= !_rows.ContainsKey(host.Name);
            var row = Row(host.Name);
            row.Online = host.Online;
            row.Reporting = host.Reporting;
            foreach (var (column, series) in row.PerSecond)
            {
                series.Add(host.TotalOf(column));
            }

            foreach (var probe in ProbeCatalogue.All)
            {
                row.TopKeys[probe] = host.TopKeyOf(probe) ?? row.TopKeys.GetValueOrDefault(probe);
            }
        }

        (_reporting, _known) = (fleet.Reporting, fleet.Known);
        StateHasChanged();
        if (unknownHost)
        {
            // A host joined: its OS and backend come from the API.
            var summary = await Api.FleetSummaryAsync(1);
            foreach (var host in summary?.Hosts ?? [])
            {
                (Row(host.Name).Os, Row(host.Name).Backend) = (host.Os, host.Backend);
            }

            StateHasChanged();
        }
    });

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
        Live.FleetReceived -= OnFleet;
        _ = Live.LeaveFleetAsync();
    }
}
