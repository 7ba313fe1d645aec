using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Parsing;

/// <summary>One key of one interval. Page faults use <see cref="First"/> only; kmem has allocs, frees.</summary>
public readonly record struct ParsedRow(string Key, ulong First, ulong Second);

/// <summary>One table as a script printed it: an interval's rows, keys unique, and the lines that did not parse.</summary>
public sealed record ParsedInterval(TableFormat Format, IReadOnlyList<ParsedRow> Rows, int MalformedLines)
{
    public ProbeKind Probe => Format.Probe();
}
