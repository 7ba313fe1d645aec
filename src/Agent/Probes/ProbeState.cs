namespace Tracefleet.Agent.Probes;

/// <summary>A snapshot of one probe's health.</summary>
public sealed record ProbeHealth(ProbeDefinition Probe, ProbeState State, string LastError, int Restarts, long MalformedLines)
{
    /// <summary>What the probe cost over its last measured window; null until one was measured.</summary>
    public Costs.MeasuredCost? Cost { get; init; }

    /// <summary>When a suspended probe is tried again (UTC); null when it is not suspended.</summary>
    public DateTimeOffset? RetryAt { get; init; }
}
