namespace Tracefleet.Server.Events;

/// <summary>The kinds of <see cref="History.Entities.HostEventRecord"/>, as the API names them.</summary>
public static class HostEventKinds
{
    /// <summary>An agent of a host not seen for <c>Limits:OfflineHostStateSeconds</c> (or since start) connected.</summary>
    public const string Connected = "connected";

    /// <summary>An agent of a host seen before connected again.</summary>
    public const string Reconnected = "reconnected";

    /// <summary>An agent's stream ended.</summary>
    public const string Disconnected = "disconnected";

    /// <summary>A probe's state changed (running, restarting, failed, suspended…) or it was restarted.</summary>
    public const string Probe = "probe";

    /// <summary>Characters of a detail kept; a tracer's error text beyond it is cut.</summary>
    public const int MaxDetailLength = 512;
}
