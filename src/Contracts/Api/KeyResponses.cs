using System.Text.Json.Serialization;
using Tracefleet.Contract.Json;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Api;

/// <summary>
/// A row of a host's top: the key, then one count per value column of its probe, named by the column: pagefaults
/// <c>{ key, faults }</c>, kmem <c>{ key, allocs, frees }</c>.
/// </summary>
/// <param name="Values">The counts named by column, in the probe's column order.</param>
[JsonConverter(typeof(TopRowJson))]
public sealed record TopRow(string Key, Named<ulong> Values)
{
    /// <summary>The row of <paramref name="probe"/> whose values are <paramref name="values"/>, in the probe's column order.</summary>
    public static TopRow Of(ProbeDefinition probe, string key, IReadOnlyList<ulong> values) => new(key, NamedColumns.Of(probe, values));

    /// <summary>This row's value of <paramref name="column"/>; null when its probe has no such column.</summary>
    public ulong? ValueOf(ValueColumn column) => Values.ValueOf(column);

    /// <summary>This row's values in <paramref name="probe"/>'s column order; an absent one counts 0.</summary>
    public IReadOnlyList<ulong> ValuesOf(ProbeDefinition probe) => Values.InColumnOrder(probe);
}

/// <summary>
/// A fleet-wide top row: the key, one count per value column of its probe, and <c>hosts</c>, how many hosts had the key:
/// pagefaults <c>{ key, faults, hosts }</c>, kmem <c>{ key, allocs, frees, hosts }</c>.
/// </summary>
/// <param name="Values">The counts named by column, in the probe's column order.</param>
[JsonConverter(typeof(FleetTopRowJson))]
public sealed record FleetTopRow(string Key, Named<ulong> Values, int Hosts)
{
    /// <summary>The row of <paramref name="probe"/> whose values are <paramref name="values"/>, in the probe's column order.</summary>
    public static FleetTopRow Of(ProbeDefinition probe, string key, IReadOnlyList<ulong> values, int hosts) => new(key, NamedColumns.Of(probe, values), hosts);

    /// <summary>This row's value of <paramref name="column"/>; null when its probe has no such column.</summary>
    public ulong? ValueOf(ValueColumn column) => Values.ValueOf(column);

    /// <summary>This row's values in <paramref name="probe"/>'s column order; an absent one counts 0.</summary>
    public IReadOnlyList<ulong> ValuesOf(ProbeDefinition probe) => Values.InColumnOrder(probe);
}

/// <summary>Series of one probe over [from, to) in buckets of <c>stepMs</c>; buckets without data are left out.</summary>
public sealed record SeriesResponse(string Probe, DateTime From, DateTime To, long StepMs, IReadOnlyList<Series> Series);

/// <summary>One host's series of one key, or of all its keys summed when <c>key</c> is null.</summary>
public sealed record Series(string Host, string? Key, IReadOnlyList<SeriesPoint> Points);

/// <summary>
/// A bucket starting at <c>t</c>: the sums of the snapshots that started in it, one per value column of the probe, named by
/// the column; and <c>peaks</c> and <c>lows</c>, the greatest and least value a single snapshot (a second) of the bucket had,
/// named the same way: <c>{ t, faults, peaks: { faults }, lows: { faults } }</c>. A snapshot without the key counts 0 for
/// its low; for a host's total over all keys each snapshot's own total counts. Either is left out when not known.
/// </summary>
/// <param name="Values">The sums named by column, in the probe's column order.</param>
/// <param name="Peaks">The greatest value of one snapshot per column; null when not known (a host total over rollups written before they kept snapshot totals).</param>
/// <param name="Lows">The least value of one snapshot per column; null when not known (over rollups written before they kept snapshot totals).</param>
[JsonConverter(typeof(SeriesPointJson))]
public sealed record SeriesPoint(DateTime T, Named<ulong> Values, Named<ulong>? Peaks = null, Named<ulong>? Lows = null)
{
    /// <summary>The point of <paramref name="probe"/> whose values are <paramref name="values"/>, in the probe's column order.</summary>
    public static SeriesPoint Of(ProbeDefinition probe, DateTime t, IReadOnlyList<ulong> values) => new(t, NamedColumns.Of(probe, values));

    /// <summary>The point of <paramref name="probe"/> with its sums, peaks and lows (each in the probe's column order, null when not known).</summary>
    public static SeriesPoint Of(ProbeDefinition probe, DateTime t, IReadOnlyList<ulong> values, IReadOnlyList<ulong>? peaks, IReadOnlyList<ulong>? lows) =>
        new(t, NamedColumns.Of(probe, values), peaks is null ? null : NamedColumns.Of(probe, peaks), lows is null ? null : NamedColumns.Of(probe, lows));

    /// <summary>This bucket's value of <paramref name="column"/>; null when its probe has no such column.</summary>
    public ulong? ValueOf(ValueColumn column) => Values.ValueOf(column);

    /// <summary>The greatest value of <paramref name="column"/> one snapshot of this bucket had; null when not known or no such column.</summary>
    public ulong? PeakOf(ValueColumn column) => Peaks?.ValueOf(column);

    /// <summary>The least value of <paramref name="column"/> one snapshot of this bucket had; null when not known or no such column.</summary>
    public ulong? LowOf(ValueColumn column) => Lows?.ValueOf(column);
}

/// <summary>Hosts side by side: each row holds one value per host, in the order of <c>hosts</c>; null where the host never had the key.</summary>
public sealed record CompareResponse(string Probe, DateTime? From, DateTime? To, IReadOnlyList<string> Hosts, IReadOnlyList<CompareRow> Rows);

/// <summary>
/// A key across the compared hosts: one list per value column of the probe, named by the column (pagefaults <c>faults</c>,
/// kmem <c>allocs</c> and <c>frees</c>), each with one value per host.
/// </summary>
/// <param name="Values">Per column, in the probe's column order: each compared host's value, null where the host never had the key.</param>
[JsonConverter(typeof(CompareRowJson))]
public sealed record CompareRow(string Key, Named<IReadOnlyList<ulong?>> Values)
{
    /// <summary>
    /// The row of <paramref name="probe"/> for one key: <paramref name="perHost"/> holds each compared host's values (in the
    /// probe's column order), or null where the host never had the key.
    /// </summary>
    public static CompareRow Of(ProbeDefinition probe, string key, IReadOnlyList<IReadOnlyList<ulong>?> perHost)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(perHost);
        return new(key, new(probe.Columns.Select(column => KeyValuePair.Create(
            column.Name, (IReadOnlyList<ulong?>)[.. perHost.Select(values => values is null ? null : probe.ValueOf(values, column))]))));
    }

    /// <summary>Compared host <paramref name="host"/>'s value of <paramref name="column"/> (index in <c>hosts</c>); null when that host never had the key or the probe has no such column.</summary>
    public ulong? ValueOf(ValueColumn column, int host)
    {
        ArgumentNullException.ThrowIfNull(column);
        return Values.TryGet(column.Name, out var perHost) && host >= 0 && host < perHost.Count ? perHost[host] : null;
    }
}

/// <summary>A host's latest stored snapshot of one probe; <c>start</c> is null and <c>rows</c> empty when it has none.</summary>
public sealed record LatestSnapshot(string Host, string Probe, DateTime? Start, int DurationMs, long Sequence, IReadOnlyList<FleetTopRow> Rows);
