using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Tracefleet.Server.Api;

/// <summary>A fleet-wide top row: pagefaults <c>{ key, faults, hosts }</c>, kmem <c>{ key, allocs, frees, hosts }</c>; <c>hosts</c> is how many hosts had the key.</summary>
public sealed record FleetTopRow(
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Faults,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Allocs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Frees,
    int Hosts);

/// <summary>Series of one probe over [from, to) in buckets of <c>stepMs</c>; buckets without data are left out.</summary>
public sealed record SeriesResponse(string Probe, DateTime From, DateTime To, long StepMs, IReadOnlyList<Series> Series);

/// <summary>One host's series of one key, or of all its keys summed when <c>key</c> is null.</summary>
public sealed record Series(string Host, string? Key, IReadOnlyList<SeriesPoint> Points);

/// <summary>A bucket starting at <c>t</c>: the sums of the snapshots that started in it.</summary>
public sealed record SeriesPoint(
    DateTime T,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Faults,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Allocs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.Count)] ulong? Frees);

/// <summary>Hosts side by side: each row holds one value per host, in the order of <c>hosts</c>; null where the host never had the key.</summary>
public sealed record CompareResponse(string Probe, DateTime? From, DateTime? To, IReadOnlyList<string> Hosts, IReadOnlyList<CompareRow> Rows);

/// <summary>A key across the compared hosts: pagefaults <c>faults</c>, kmem <c>allocs</c> and <c>frees</c>.</summary>
public sealed record CompareRow(
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.CountPerHost)] IReadOnlyList<ulong?>? Faults,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.CountPerHost)] IReadOnlyList<ulong?>? Allocs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(ApiDocs.CountPerHost)] IReadOnlyList<ulong?>? Frees);

/// <summary>A host's latest stored snapshot of one probe; <c>start</c> is null and <c>rows</c> empty when it has none.</summary>
public sealed record LatestSnapshot(string Host, string Probe, DateTime? Start, int DurationMs, long Sequence, IReadOnlyList<FleetTopRow> Rows);

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
    string? TopFile, string? TopCache);
