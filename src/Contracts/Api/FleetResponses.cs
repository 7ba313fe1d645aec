using System.Text.Json.Serialization;
using Tracefleet.Contract.Json;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Api;

/// <summary>The fleet page's first paint: every host and its last <c>windowSeconds</c> of per-second totals.</summary>
public sealed record FleetSummary(DateTime At, int WindowSeconds, int Reporting, int Known, IReadOnlyList<FleetSummaryHost> Hosts);

/// <summary>
/// One host: the probes it runs; one list per value column of every probe, named by the column (<c>faults</c>, <c>allocs</c>,
/// <c>frees</c>), each with one total per second of the window, oldest first (by interval start); and two fields per probe,
/// <c>top</c> and the noun of its keys (<c>topFile</c>, <c>topCache</c>) with the busiest key of its latest snapshot or null,
/// and the same with <c>Named</c> (<c>topFileNamed</c>) with the busiest key that names something (not <c>???</c>,
/// <c>[ anon ]</c>, <c>(other)</c>: <see cref="UnnamedKeys"/>) or null.
/// </summary>
/// <param name="Probes">
/// The names of the probes the host runs, in catalogue order: those its agent's last Hello declared as running (a probe it
/// could not start is declared with the variant <c>none</c> and is not among them), and any it stored a snapshot of in the
/// window. A column of a probe not listed holds zeros that mean "not run", not "idle".
/// </param>
/// <param name="PerSecond">Per column of <see cref="ProbeCatalogue.AllColumns"/>: the totals of each second.</param>
/// <param name="TopKeys">Per probe of <see cref="ProbeCatalogue.All"/>, by its top field and its named top field: the busiest key, or null.</param>
[JsonConverter(typeof(FleetSummaryHostJson))]
public sealed record FleetSummaryHost(
    string Name, string Os, string Backend, bool Online, bool Reporting, DateTime LastSeen, IReadOnlyList<string> Probes,
    Named<IReadOnlyList<ulong>> PerSecond, Named<string?> TopKeys)
{
    /// <summary>
    /// A host that runs <paramref name="probes"/>, whose per-second totals of each value column are <paramref name="perSecond"/>
    /// and whose probes' busiest keys are <paramref name="topKey"/> and, of those that name something, <paramref name="topNamedKey"/>.
    /// </summary>
    public static FleetSummaryHost Of(
        string name, string os, string backend, bool online, bool reporting, DateTime lastSeen, IReadOnlyList<string> probes,
        Func<ValueColumn, IReadOnlyList<ulong>> perSecond, Func<ProbeDefinition, string?> topKey, Func<ProbeDefinition, string?> topNamedKey) =>
        new(name, os, backend, online, reporting, lastSeen, probes, NamedColumns.OfEveryColumn(perSecond), NamedColumns.OfEveryProbe(topKey, topNamedKey));

    /// <summary>The per-second totals of <paramref name="column"/> over the window, oldest first; empty when there are none.</summary>
    public IReadOnlyList<ulong> PerSecondOf(ValueColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return PerSecond.TryGet(column.Name, out var totals) ? totals : [];
    }

    /// <summary>True when the host runs <paramref name="probe"/> (<see cref="Probes"/>).</summary>
    public bool Runs(ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Probes.Contains(probe.Name, StringComparer.Ordinal);
    }

    /// <summary>The busiest key of <paramref name="probe"/>'s latest snapshot; null when it has none.</summary>
    public string? TopKeyOf(ProbeDefinition probe) => TopKeys.TopKeyOf(probe);

    /// <summary>The busiest key of <paramref name="probe"/>'s latest snapshot that names something; null when it has none.</summary>
    public string? TopNamedKeyOf(ProbeDefinition probe) => TopKeys.TopNamedKeyOf(probe);
}

/// <summary>
/// The fleet's totals of one probe over [from, to) in buckets of <c>stepMs</c>: each point the sums (saturated) over every
/// host of the snapshots that started in its bucket, named by column as a series' points are (<c>{ t, faults }</c>,
/// <c>{ t, allocs, frees }</c>); buckets without data are left out. Divide by <c>stepMs</c> / 1000 for a rate per second.
/// A point's <c>peaks</c> and <c>lows</c> are the hosts' busiest and lowest reported seconds of the bucket summed: the
/// fleet's own busiest second is at most its peak (equal when the hosts peak together, and always at a step of one second);
/// a second a host did not report is not among its lows; absent when a host's are not known (rollups written before they
/// kept them).
/// </summary>
/// <param name="Hosts">How many hosts stored a snapshot of the probe in the range.</param>
public sealed record FleetSeriesResponse(string Probe, DateTime From, DateTime To, long StepMs, int Hosts, IReadOnlyList<SeriesPoint> Points);
