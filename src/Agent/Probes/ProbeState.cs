namespace Tracefleet.Agent.Probes;

/// <summary>A snapshot of one probe's health.</summary>
public sealed record ProbeHealth(ProbeDefinition Probe, ProbeState State, string LastError, int Restarts, long MalformedLines);
