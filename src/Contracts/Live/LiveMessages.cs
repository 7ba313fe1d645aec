using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Live;

/// <summary>
/// One stored snapshot as the hub sends it. Rows carry named values as the top API does: pagefaults
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
/// A row: <see cref="Faults"/> for pagefaults, <see cref="Allocs"/> and <see cref="Frees"/> for kmem; absent values are left
/// out of the JSON. Counts are unsigned 64-bit, as the agent sent them.
/// </summary>
public sealed record LiveRow(string Key, ulong? Faults, ulong? Allocs, ulong? Frees)
{
    /// <summary>The row of <paramref name="probe"/> whose values are <paramref name="values"/>, in the probe's column order.</summary>
    public static LiveRow Of(ProbeDefinition probe, string key, IReadOnlyList<ulong> values)
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

    /// <summary>This row's value of <paramref name="column"/>; null when its probe has no such column.</summary>
    public ulong? ValueOf(ValueColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return NamedValues.Pick(column, Faults, Allocs, Frees);
    }
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
/// One host in the fleet summary. Totals are the sums of the rows of the snapshots stored during
/// the interval, unsigned 64-bit; one that would pass 18446744073709551615 stays there (saturated: at least that many).
/// <see cref="TopFile"/> and <see cref="TopCache"/> are the busiest keys of its latest snapshots.
/// </summary>
public sealed record FleetHost(
    string Name, bool Online, bool Reporting, DateTime? LastSnapshot, ulong Faults, ulong Allocs, ulong Frees, string? TopFile, string? TopCache)
{
    /// <summary>A host whose interval totals of each value column are <paramref name="total"/> and whose probes' busiest keys are <paramref name="topKey"/>.</summary>
    public static FleetHost Of(
        string name, bool online, bool reporting, DateTime? lastSnapshot, Func<ValueColumn, ulong> total, Func<ProbeDefinition, string?> topKey)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(topKey);
        return new(name, online, reporting, lastSnapshot,
            total(ProbeCatalogue.Faults), total(ProbeCatalogue.Allocs), total(ProbeCatalogue.Frees), topKey(ProbeCatalogue.PageFaults), topKey(ProbeCatalogue.Kmem));
    }

    /// <summary>The interval's total of <paramref name="column"/>.</summary>
    public ulong TotalOf(ValueColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return NamedValues.Pick(column, Faults, Allocs, Frees);
    }

    /// <summary>The busiest key of <paramref name="probe"/>'s latest snapshots; null when it has none.</summary>
    public string? TopKeyOf(ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return NamedValues.PickTop(probe, TopFile, TopCache);
    }
}
