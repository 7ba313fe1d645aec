namespace Tracefleet.Contract.Probes;

/// <summary>
/// The records of the HTTP API and the hub carry one nullable field per value column (faults, allocs, frees) so their JSON
/// names each value; this is the one place that ties a column to its field.
/// </summary>
internal static class NamedValues
{
    /// <summary>The field of <paramref name="column"/> among a record's fields.</summary>
    public static T Pick<T>(ValueColumn column, T faults, T allocs, T frees) =>
        column == ProbeCatalogue.Faults ? faults
        : column == ProbeCatalogue.Allocs ? allocs
        : column == ProbeCatalogue.Frees ? frees
        : throw new ArgumentOutOfRangeException(nameof(column), column.Name, "no field carries this column");

    /// <summary>A record's fields in <paramref name="probe"/>'s column order; a missing one counts 0.</summary>
    public static ulong[] Of(ProbeDefinition probe, ulong? faults, ulong? allocs, ulong? frees) =>
        [.. probe.Columns.Select(c => Pick(c, faults, allocs, frees) ?? 0)];
}
