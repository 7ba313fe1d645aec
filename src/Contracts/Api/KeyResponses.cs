using System.ComponentModel;
using System.Text.Json.Serialization;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Api;

/// <summary>A row of a host's top: pagefaults <c>{ key, faults }</c>, kmem <c>{ key, allocs, frees }</c>.</summary>
public sealed record TopRow(
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Faults,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Allocs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Frees)
{
    /// <summary>The row of <paramref name="probe"/> whose values are <paramref name="values"/>, in the probe's column order.</summary>
    public static TopRow Of(ProbeDefinition probe, string key, IReadOnlyList<ulong> values)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new(key, probe.ValueOf(values, ProbeCatalogue.Faults), probe.ValueOf(values, ProbeCatalogue.Allocs), probe.ValueOf(values, ProbeCatalogue.Frees));
    }

    /// <summary>This row's values in <paramref name="probe"/>'s column order; an absent one counts 0.</summary>
    public IReadOnlyList<ulong> ValuesOf(ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return NamedValues.Of(probe, Faults, Allocs, Frees);
    }
}

/// <summary>A fleet-wide top row: pagefaults <c>{ key, faults, hosts }</c>, kmem <c>{ key, allocs, frees, hosts }</c>; <c>hosts</c> is how many hosts had the key.</summary>
public sealed record FleetTopRow(
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Faults,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Allocs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Frees,
    int Hosts)
{
    /// <summary>The row of <paramref name="probe"/> whose values are <paramref name="values"/>, in the probe's column order.</summary>
    public static FleetTopRow Of(ProbeDefinition probe, string key, IReadOnlyList<ulong> values, int hosts)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new(key, probe.ValueOf(values, ProbeCatalogue.Faults), probe.ValueOf(values, ProbeCatalogue.Allocs), probe.ValueOf(values, ProbeCatalogue.Frees), hosts);
    }

    /// <summary>This row's values in <paramref name="probe"/>'s column order; an absent one counts 0.</summary>
    public IReadOnlyList<ulong> ValuesOf(ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return NamedValues.Of(probe, Faults, Allocs, Frees);
    }
}

/// <summary>Series of one probe over [from, to) in buckets of <c>stepMs</c>; buckets without data are left out.</summary>
public sealed record SeriesResponse(string Probe, DateTime From, DateTime To, long StepMs, IReadOnlyList<Series> Series);

/// <summary>One host's series of one key, or of all its keys summed when <c>key</c> is null.</summary>
public sealed record Series(string Host, string? Key, IReadOnlyList<SeriesPoint> Points);

/// <summary>A bucket starting at <c>t</c>: the sums of the snapshots that started in it.</summary>
public sealed record SeriesPoint(
    DateTime T,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Faults,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Allocs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Frees)
{
    /// <summary>The point of <paramref name="probe"/> whose values are <paramref name="values"/>, in the probe's column order.</summary>
    public static SeriesPoint Of(ProbeDefinition probe, DateTime t, IReadOnlyList<ulong> values)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new(t, probe.ValueOf(values, ProbeCatalogue.Faults), probe.ValueOf(values, ProbeCatalogue.Allocs), probe.ValueOf(values, ProbeCatalogue.Frees));
    }

    /// <summary>This bucket's value of <paramref name="column"/>; null when its probe has no such column.</summary>
    public ulong? ValueOf(ValueColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return NamedValues.Pick(column, Faults, Allocs, Frees);
    }
}

/// <summary>Hosts side by side: each row holds one value per host, in the order of <c>hosts</c>; null where the host never had the key.</summary>
public sealed record CompareResponse(string Probe, DateTime? From, DateTime? To, IReadOnlyList<string> Hosts, IReadOnlyList<CompareRow> Rows);

/// <summary>A key across the compared hosts: pagefaults <c>faults</c>, kmem <c>allocs</c> and <c>frees</c>.</summary>
public sealed record CompareRow(
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.CountPerHost)] IReadOnlyList<ulong?>? Faults,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.CountPerHost)] IReadOnlyList<ulong?>? Allocs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.CountPerHost)] IReadOnlyList<ulong?>? Frees)
{
    /// <summary>
    /// The row of <paramref name="probe"/> for one key: <paramref name="perHost"/> holds each compared host's values (in the
    /// probe's column order), or null where the host never had the key.
    /// </summary>
    public static CompareRow Of(ProbeDefinition probe, string key, IReadOnlyList<IReadOnlyList<ulong>?> perHost)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(perHost);
        List<ulong?>? Column(ValueColumn column) =>
            probe.Has(column) ? [.. perHost.Select(values => values is null ? null : probe.ValueOf(values, column))] : null;
        return new(key, Column(ProbeCatalogue.Faults), Column(ProbeCatalogue.Allocs), Column(ProbeCatalogue.Frees));
    }

    /// <summary>Compared host <paramref name="host"/>'s value of <paramref name="column"/> (index in <c>hosts</c>); null when that host never had the key or the probe has no such column.</summary>
    public ulong? ValueOf(ValueColumn column, int host)
    {
        ArgumentNullException.ThrowIfNull(column);
        return NamedValues.Pick(column, Faults, Allocs, Frees) is { } perHost && host >= 0 && host < perHost.Count ? perHost[host] : null;
    }
}

/// <summary>A host's latest stored snapshot of one probe; <c>start</c> is null and <c>rows</c> empty when it has none.</summary>
public sealed record LatestSnapshot(string Host, string Probe, DateTime? Start, int DurationMs, long Sequence, IReadOnlyList<FleetTopRow> Rows);
