namespace Tracefleet.Agent.Processes;

/// <summary>
/// One line of tracer output, one char per byte, without its '\n'. <see cref="Terminated"/> is false only for
/// the last line of a stream that ended without a newline: a tracer killed mid-write, a capture cut short.
/// </summary>
public readonly record struct OutputLine(string Text, bool Terminated);
