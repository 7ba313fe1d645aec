
namespace Tracefleet.Agent.Parsing;

/// <summary>One key of one interval: its values, one per column of the probe (<see cref="RowValues"/>).</summary>
public readonly record struct ParsedRow(string Key, RowValues Values);

/// <summary>One table as a script printed it: an interval's rows, keys unique, and the lines that did not parse.</summary>
public sealed record ParsedInterval(TableFormat Format, IReadOnlyList<ParsedRow> Rows, int MalformedLines)
{
    public ProbeDefinition Probe => Format.Probe;

    /// <summary>
    /// The rest of the table before it: its rows came after a quiet spell closed that table early, with no header of
    /// their own (a tracer slowed down mid-table). It belongs to the same second, not to a second of its own.
    /// </summary>
    public bool Continuation { get; init; }
}
