namespace Tracefleet.Agent.Probes;

/// <summary>How one probe runs on this host: the tracer command, which script variant, and what it cannot see.</summary>
public sealed record ProbePlan(
    ProbeDefinition Probe,
    string Executable,
    IReadOnlyList<string> Arguments,
    string Variant,
    string Limitations)
{
    /// <summary>Text written to the tracer's stdin (the script, when it runs on another machine through ssh); null: none.</summary>
    public string? StandardInput { get; init; }
}
