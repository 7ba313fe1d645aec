using Microsoft.AspNetCore.SignalR;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Live;

/// <summary>
/// <c>/hubs/live</c>: a client joins the fleet (event <c>fleet</c>, once a second) and any hosts it
/// shows (event <c>snapshot</c> for each snapshot stored). Groups per host, so a page receives only
/// what it shows.
/// </summary>
public sealed class LiveHub(LiveAudience audience) : Hub<ILiveClient>
{
    public const string Path = "/hubs/live";
    public const string FleetGroup = "fleet";

    /// <summary>Host groups are prefixed so that a host named "fleet" cannot join the fleet group.</summary>
    public static string HostGroup(string host) => "host:" + host;

    /// <summary>Receive the <c>fleet</c> summary once a second.</summary>
    public Task JoinFleet() => Groups.AddToGroupAsync(Context.ConnectionId, FleetGroup);

    /// <summary>Stop receiving the <c>fleet</c> summary.</summary>
    public Task LeaveFleet() => Groups.RemoveFromGroupAsync(Context.ConnectionId, FleetGroup);

    /// <summary>Receive every snapshot of this host as it is stored (the host need not exist yet).</summary>
    public Task JoinHost(string host)
    {
        audience.Join(Context.ConnectionId, Checked(host));
        return Groups.AddToGroupAsync(Context.ConnectionId, HostGroup(host));
    }

    /// <summary>Stop receiving this host's snapshots.</summary>
    public Task LeaveHost(string host)
    {
        audience.Leave(Context.ConnectionId, Checked(host));
        return Groups.RemoveFromGroupAsync(Context.ConnectionId, HostGroup(host));
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        audience.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private static string Checked(string host) =>
        string.IsNullOrEmpty(host) || host.Length > IngestValidator.MaxHostNameLength
            ? throw new HubException($"host must be 1 to {IngestValidator.MaxHostNameLength} characters long")
            : host;
}
