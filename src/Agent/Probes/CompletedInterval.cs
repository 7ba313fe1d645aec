using Tracefleet.Agent.Parsing;

namespace Tracefleet.Agent.Probes;

/// <summary>
/// A one-second table that ended at <see cref="EndedAt"/> (UTC): when a tracer finished printing it, or where a
/// capture places it. <see cref="Source"/> tells apart sources whose tables are summed separately (replayed captures).
/// </summary>
public sealed record CompletedInterval(ParsedInterval Interval, DateTime EndedAt, int Source = 0);
