using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

public partial class TopTable
{
    /// <summary>The probe's wire name (<see cref="ProbeCatalogue"/>); its columns make the table's.</summary>
    [Parameter]
    public string Probe { get; set; } = ProbeCatalogue.All[0].Name;

    /// <summary>The host's OS: the scripts name the key column differently on Solaris and illumos (<see cref="KeyColumn.SolarisHeader"/>).</summary>
    [Parameter]
    public string? Os { get; set; }

    /// <summary>The rows; null while loading.</summary>
    [Parameter]
    public IReadOnlyList<FleetTopRow>? Rows { get; set; }

    /// <summary>Why there are no rows, when the page knows better than "an idle interval" (the server refused them).</summary>
    [Parameter]
    public string? EmptyReason { get; set; }

    [Parameter]
    public string? Sort { get; set; }

    [Parameter]
    public EventCallback<string> SortChanged { get; set; }

    [Parameter]
    public string? SelectedKey { get; set; }

    [Parameter]
    public EventCallback<string> KeySelected { get; set; }

    private ProbeDefinition Definition => ProbeChoice.Of(Probe);

    private string KeyHeader => Definition.Key.HeaderFor(Os?.ToLowerInvariant());

    private IReadOnlyList<TableRow> Shown => TableSort.Apply((Rows ?? []).Select(r => TableRow.Of(Definition, r)), Sort);

    private string Arrow(string column) => (Sort ?? TableSort.ByPosition(0)) == column ? (column == TableSort.Key ? " ▲" : " ▼") : "";

    private Task SortBy(string column) => SortChanged.InvokeAsync(column);

    /// <summary>How the table is sorted by this column, for screen readers; the arrow shows it to the eye.</summary>
    private string? AriaSort(string column) => (Sort ?? TableSort.ByPosition(0)) == column ? (column == TableSort.Key ? "ascending" : "descending") : null;

    private Task SelectAsync(string key) => KeySelected.InvokeAsync(key);
}
