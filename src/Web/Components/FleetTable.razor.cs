using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>The fleet, one host a row, each linking to its host page.</summary>
public partial class FleetTable
{
    /// <summary>Rows already sorted and filtered; null while loading.</summary>
    [Parameter]
    public IReadOnlyList<FleetRow>? Rows { get; set; }

    internal static string HostLink(string host) => "host?host=" + Uri.EscapeDataString(host);

    private static string SparklineTitle(ValueColumn column) => $"{column.Meaning.ToLowerInvariant()} per second, last minute";
}
