namespace Tracefleet.Contract.Probes;

/// <summary>
/// The records of the HTTP API and the hub carry one nullable field per value column (faults, allocs, frees) and one per
/// probe's busiest key (topFile, topCache) so their JSON names each; this is the one place that ties a column or a probe
/// to its field.
/// </summary>
internal static class NamedValues
{
    /// <summary>The field of <paramref name="column"/> among a record's fields.</summary>
    public static T Pick<T>(ValueColumn column, T faults, T allocs, T frees) =>
        column == ProbeCatalogue.Faults ? faults
        : column == ProbeCatalogue.Allocs ? allocs
        : column == ProbeCatalogue.Frees ? frees
        : throw new ArgumentOutOfRangeException(nameof(column), column.Name, "no field carries this column");

    /// <summary>The field of <paramref name="probe"/> among a record's busiest-key fields.</summary>
    public static T PickTop<T>(ProbeDefinition probe, T file, T cache) =>
        probe == ProbeCatalogue.PageFaults ? file
        : probe == ProbeCatalogue.Kmem ? cache
        : throw new ArgumentOutOfRangeException(nameof(probe), probe.Name, "no field carries this probe's busiest key");

    /// <summary>A record's fields in <paramref name="probe"/>'s column order; a missing one counts 0.</summary>
    public static ulong[] Of(ProbeDefinition probe, ulong? faults, ulong? allocs, ulong? frees) =>
        [.. probe.Columns.Select(c => Pick(c, faults, allocs, frees) ?? 0)];
}
