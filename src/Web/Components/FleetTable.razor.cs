using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>The fleet, one host a row, each linking to its host page.</summary>
public partial class FleetTable
{
    /// <summary>Rows already sorted and filtered; null while loading.</summary>
    [Parameter]
    public IReadOnlyList<FleetRow>? Rows { get; set; }

    internal static string HostLink(string host) => "host?host=" + Uri.EscapeDataString(host);

    /// <summary>What a dash stands for where a host's probe would be: not a count of zero.</summary>
    internal const string NotRun = "does not run this probe";

    private static string SparklineTitle(ValueColumn column) => $"{column.Meaning.ToLowerInvariant()} per second, last minute";

    private static string NamedTitle(ProbeDefinition probe, string unnamed, string named) =>
        $"busiest: {unnamed}, which names no {probe.Key.Noun}; busiest {probe.Key.Noun} named: {named}";
}
