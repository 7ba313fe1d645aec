namespace Tracefleet.Agent.Probes;

/// <summary>A probe's health as the agent reports it.</summary>
public enum ProbeState
{
    Starting,
    Running,
    Restarting,
    Failed,
    Finished,
}

/// <summary>A snapshot of one probe's health.</summary>
public sealed record ProbeHealth(ProbeKind Probe, ProbeState State, string LastError, int Restarts, long MalformedLines);
