using Tracefleet.Agent.Parsing;

namespace Tracefleet.Agent.Replay;

/// <summary>A capture's table, the start of the second it is stamped with, and the index of its capture among the replayed ones.</summary>
public readonly record struct StampedTable(DateTimeOffset Start, int Source, ParsedInterval Table);
