namespace Tracefleet.Server.Live;

/// <summary>
/// What a client of <c>/hubs/live</c> receives. The method names are the SignalR event names, so they
/// are lower case on purpose: the .NET client matches event names exactly (JavaScript ignores case).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "SignalR event names are part of the public contract: snapshot, fleet.")]
public interface ILiveClient
{
    /// <summary>Event <c>snapshot</c>: one stored snapshot of a host the client joined, in the order the host's agent sent them.</summary>
#pragma warning disable CA1707, IDE1006 // lower-case event names, see above
    Task snapshot(LiveSnapshot snapshot);

    /// <summary>Event <c>fleet</c>: at most once per <c>Live:FleetIntervalMs</c> (a second), to clients that joined the fleet.</summary>
    Task fleet(FleetSecond fleet);

    /// <summary>Event <c>alert</c>: every change of an alert's state, to every client, as soon as it is stored.</summary>
    Task alert(Alerts.AlertEvent alert);
#pragma warning restore CA1707, IDE1006
}
