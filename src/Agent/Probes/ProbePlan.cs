using Tracefleet.Agent.Probes.Descriptors;

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

    /// <summary>The descriptor's variant this plan runs; null for a plan made otherwise (a shared tracer, a test's).</summary>
    public ProbeVariant? Script { get; init; }

    /// <summary>
    /// The plans of the probes whose programs this one tracer runs together (<see cref="BpftraceSharing"/>), each with
    /// its own probe, variant and limitations; empty for a tracer of one probe, which is <see cref="Probe"/>.
    /// </summary>
    public IReadOnlyList<ProbePlan> Members { get; init; } = [];

    /// <summary>Every probe this tracer runs: the <see cref="Members"/>, or itself.</summary>
    public IReadOnlyList<ProbePlan> Each => Members.Count == 0 ? [this] : Members;
}
