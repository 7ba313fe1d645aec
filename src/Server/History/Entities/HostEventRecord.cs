namespace Tracefleet.Server.History.Entities;

/// <summary>One thing that happened to a host that may explain a change in its data (<see cref="Events.HostEventKinds"/>), kept for <c>Alerts:HistoryDays</c>.</summary>
public sealed class HostEventRecord
{
    public long Id { get; set; }

    public required string Host { get; set; }

    /// <summary>One of <see cref="Events.HostEventKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The probe of a probe's change of state; empty for the host's own events.</summary>
    public string Probe { get; set; } = "";

    /// <summary>What the event says beyond its kind: the probe's new state, restarts and last error; the agent's backend and version.</summary>
    public string Detail { get; set; } = "";

    /// <summary>When the server saw it, Unix ms (UTC).</summary>
    public long AtUnixMs { get; set; }
}
