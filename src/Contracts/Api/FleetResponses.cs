using System.ComponentModel;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Api;

/// <summary>The fleet page's first paint: every host and its last <c>windowSeconds</c> of per-second totals.</summary>
public sealed record FleetSummary(DateTime At, int WindowSeconds, int Reporting, int Known, IReadOnlyList<FleetSummaryHost> Hosts);

/// <summary>
/// One host: <c>faults</c>, <c>allocs</c>, <c>frees</c> hold one total per second of the window, oldest first
/// (by interval start); <c>topFile</c>/<c>topCache</c> are the busiest keys of its latest snapshots.
/// </summary>
public sealed record FleetSummaryHost(
    string Name, string Os, string Backend, bool Online, bool Reporting, DateTime LastSeen,
    [property: Description(ApiDocs.CountPerSecond)] IReadOnlyList<ulong> Faults,
    [property: Description(ApiDocs.CountPerSecond)] IReadOnlyList<ulong> Allocs,
    [property: Description(ApiDocs.CountPerSecond)] IReadOnlyList<ulong> Frees,
    string? TopFile, string? TopCache)
{
    /// <summary>A host whose per-second totals of each value column are <paramref name="perSecond"/> and whose probes' busiest keys are <paramref name="topKey"/>.</summary>
    public static FleetSummaryHost Of(
        string name, string os, string backend, bool online, bool reporting, DateTime lastSeen,
        Func<ValueColumn, IReadOnlyList<ulong>> perSecond, Func<ProbeDefinition, string?> topKey)
    {
        ArgumentNullException.ThrowIfNull(perSecond);
        ArgumentNullException.ThrowIfNull(topKey);
        return new(name, os, backend, online, reporting, lastSeen,
            perSecond(ProbeCatalogue.Faults), perSecond(ProbeCatalogue.Allocs), perSecond(ProbeCatalogue.Frees),
            topKey(ProbeCatalogue.PageFaults), topKey(ProbeCatalogue.Kmem));
    }

    /// <summary>The per-second totals of <paramref name="column"/> over the window, oldest first.</summary>
    public IReadOnlyList<ulong> PerSecondOf(ValueColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return NamedValues.Pick(column, Faults, Allocs, Frees) ?? [];
    }

    /// <summary>The busiest key of <paramref name="probe"/>'s latest snapshots; null when it has none.</summary>
    public string? TopKeyOf(ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return NamedValues.PickTop(probe, TopFile, TopCache);
    }
}
