namespace Tracefleet.Contract.Probes;

/// <summary>Variants an agent declares a probe with (<c>ProbeInfo.variant</c>, <c>ProbeStatus.variant</c>) beside its scripts' own names.</summary>
public static class ProbeVariants
{
    /// <summary>The agent was asked for the probe and could not start it (no tracer, no script for this kernel): it runs nothing.</summary>
    public const string NotRunning = "none";
}
