namespace Tracefleet.Contract.Probes;

/// <summary>A probe's health as the agent reports it; the HTTP API spells it in lowercase (<c>running</c>).</summary>
public enum ProbeState
{
    Starting,
    Running,
    Restarting,
    Failed,
    Finished,

    /// <summary>Stopped because it cost the host more than its budget; retried later.</summary>
    Suspended,
}

/// <summary>Probe states by their wire names.</summary>
public static class ProbeStates
{
    /// <summary>Every state's wire name: starting, running, restarting, failed, finished, suspended.</summary>
    public static IReadOnlyList<string> WireNames { get; } = [.. Enum.GetValues<ProbeState>().Select(WireName)];

    /// <summary>The state as the agent reports it and the API shows it: <c>running</c>.</summary>
    public static string WireName(this ProbeState state) => state switch
    {
        ProbeState.Starting => "starting",
        ProbeState.Running => "running",
        ProbeState.Restarting => "restarting",
        ProbeState.Failed => "failed",
        ProbeState.Finished => "finished",
        ProbeState.Suspended => "suspended",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
