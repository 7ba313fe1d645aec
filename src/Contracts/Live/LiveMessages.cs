using System.Text.Json.Serialization;
using Tracefleet.Contract.Json;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Live;

/// <summary>
/// One stored snapshot as the hub sends it. Rows carry values named by column as the top API does: pagefaults
/// <c>{ key, faults }</c>, kmem <c>{ key, allocs, frees }</c>.
/// </summary>
/// <param name="Host">The host's name.</param>
/// <param name="Probe"><c>pagefaults</c> or <c>kmem</c>.</param>
/// <param name="Sequence">The agent's sequence number (increases by one per snapshot within an agent epoch).</param>
/// <param name="Start">Start of the interval (UTC).</param>
/// <param name="DurationMs">Length of the interval in milliseconds.</param>
/// <param name="ReceivedAt">When the server accepted the snapshot (UTC, server clock): subtract it from the time you show it for the latency.</param>
/// <param name="StoredAt">When its batch was committed to the store (UTC, server clock).</param>
/// <param name="Rows">The table, in the order the agent sent it.</param>
public sealed record LiveSnapshot(
    string Host, string Probe, ulong Sequence, DateTime Start, int DurationMs, DateTime ReceivedAt, DateTime StoredAt, IReadOnlyList<LiveRow> Rows);

/// <summary>
/// A row: the key, then one count per value column of its probe, named by the column (pagefaults <c>faults</c>, kmem
/// <c>allocs</c> and <c>frees</c>). Counts are unsigned 64-bit, as the agent sent them.
/// </summary>
/// <param name="Values">The counts named by column, in the probe's column order.</param>
[JsonConverter(typeof(LiveRowJson))]
public sealed record LiveRow(string Key, Named<ulong> Values)
{
    /// <summary>The row of <paramref name="probe"/> whose values are <paramref name="values"/>, in the probe's column order.</summary>
    public static LiveRow Of(ProbeDefinition probe, string key, IReadOnlyList<ulong> values) => new(key, NamedColumns.Of(probe, values));

    /// <summary>This row's values in <paramref name="probe"/>'s column order; an absent one counts 0.</summary>
    public IReadOnlyList<ulong> ValuesOf(ProbeDefinition probe) => Values.InColumnOrder(probe);

    /// <summary>This row's value of <paramref name="column"/>; null when its probe has no such column.</summary>
    public ulong? ValueOf(ValueColumn column) => Values.ValueOf(column);
}

/// <summary>
/// The fleet in the last interval (a second): every known host, and how many reported.
/// </summary>
/// <param name="At">End of the interval (UTC).</param>
/// <param name="IntervalMs">Length of the interval the totals cover.</param>
/// <param name="Reporting">Hosts that stored a snapshot within <c>Live:ReportingWindowMs</c>.</param>
/// <param name="Known">Hosts that ever reported.</param>
/// <param name="Hosts">Every known host, by name.</param>
public sealed record FleetSecond(DateTime At, int IntervalMs, int Reporting, int Known, IReadOnlyList<FleetHost> Hosts);

/// <summary>
/// One host in the fleet summary. Totals, one per value column of every probe and named by the column (<c>faults</c>,
/// <c>allocs</c>, <c>frees</c>), are the sums of the rows of the snapshots stored during the interval, unsigned 64-bit; one
/// that would pass 18446744073709551615 stays there (saturated: at least that many). Each probe's busiest key of its latest
/// snapshot is named by its <see cref="ProbeDefinition.TopField"/> (<c>topFile</c>, <c>topCache</c>), and its busiest key
/// that names something (<see cref="UnnamedKeys"/>) by its <see cref="ProbeDefinition.TopNamedField"/> (<c>topFileNamed</c>);
/// each is left out when there is none.
/// </summary>
/// <param name="Totals">Per column of <see cref="ProbeCatalogue.AllColumns"/>: the interval's total.</param>
/// <param name="TopKeys">Per probe of <see cref="ProbeCatalogue.All"/>, by its top field and its named top field: the busiest key, or null.</param>
[JsonConverter(typeof(FleetHostJson))]
public sealed record FleetHost(string Name, bool Online, bool Reporting, DateTime? LastSnapshot, Named<ulong> Totals, Named<string?> TopKeys)
{
    /// <summary>
    /// A host whose interval totals of each value column are <paramref name="total"/> and whose probes' busiest keys are
    /// <paramref name="topKey"/> and, of those that name something, <paramref name="topNamedKey"/>.
    /// </summary>
    public static FleetHost Of(
        string name, bool online, bool reporting, DateTime? lastSnapshot, Func<ValueColumn, ulong> total, Func<ProbeDefinition, string?> topKey,
        Func<ProbeDefinition, string?> topNamedKey) =>
        new(name, online, reporting, lastSnapshot, NamedColumns.OfEveryColumn(total), NamedColumns.OfEveryProbe(topKey, topNamedKey));

    /// <summary>The interval's total of <paramref name="column"/>; 0 when there is none.</summary>
    public ulong TotalOf(ValueColumn column) => Totals.ValueOf(column) ?? 0;

    /// <summary>The busiest key of <paramref name="probe"/>'s latest snapshots; null when it has none.</summary>
    public string? TopKeyOf(ProbeDefinition probe) => TopKeys.TopKeyOf(probe);

    /// <summary>The busiest key of <paramref name="probe"/>'s latest snapshot that names something; null when it has none.</summary>
    public string? TopNamedKeyOf(ProbeDefinition probe) => TopKeys.TopNamedKeyOf(probe);
}
