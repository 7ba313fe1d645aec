using System.Text.Json.Serialization;
using Tracefleet.Contract.Json;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Api;

/// <summary>The fleet page's first paint: every host and its last <c>windowSeconds</c> of per-second totals.</summary>
public sealed record FleetSummary(DateTime At, int WindowSeconds, int Reporting, int Known, IReadOnlyList<FleetSummaryHost> Hosts);

/// <summary>
/// One host: one list per value column of every probe, named by the column (<c>faults</c>, <c>allocs</c>, <c>frees</c>), each
/// with one total per second of the window, oldest first (by interval start); and one field per probe, <c>top</c> and the
/// noun of its keys (<c>topFile</c>, <c>topCache</c>), with the busiest key of its latest snapshots or null.
/// </summary>
/// <param name="PerSecond">Per column of <see cref="ProbeCatalogue.AllColumns"/>: the totals of each second.</param>
/// <param name="TopKeys">Per probe of <see cref="ProbeCatalogue.All"/>, by its top field: the busiest key, or null.</param>
[JsonConverter(typeof(FleetSummaryHostJson))]
public sealed record FleetSummaryHost(
    string Name, string Os, string Backend, bool Online, bool Reporting, DateTime LastSeen, Named<IReadOnlyList<ulong>> PerSecond, Named<string?> TopKeys)
{
    /// <summary>A host whose per-second totals of each value column are <paramref name="perSecond"/> and whose probes' busiest keys are <paramref name="topKey"/>.</summary>
    public static FleetSummaryHost Of(
        string name, string os, string backend, bool online, bool reporting, DateTime lastSeen,
        Func<ValueColumn, IReadOnlyList<ulong>> perSecond, Func<ProbeDefinition, string?> topKey) =>
        new(name, os, backend, online, reporting, lastSeen, NamedColumns.OfEveryColumn(perSecond), NamedColumns.OfEveryProbe(topKey));

    /// <summary>The per-second totals of <paramref name="column"/> over the window, oldest first; empty when there are none.</summary>
    public IReadOnlyList<ulong> PerSecondOf(ValueColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return PerSecond.TryGet(column.Name, out var totals) ? totals : [];
    }

    /// <summary>The busiest key of <paramref name="probe"/>'s latest snapshots; null when it has none.</summary>
    public string? TopKeyOf(ProbeDefinition probe) => TopKeys.TopKeyOf(probe);
}
