using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Live;

/// <summary>
/// <c>/hubs/live</c>: a client joins the fleet (event <c>fleet</c>, once a second) and any hosts it
/// shows (event <c>snapshot</c> for each snapshot stored), at most <c>Live:MaxHostsPerConnection</c> at once.
/// Refusals are <see cref="HubException"/>s whose message says why.
/// </summary>
public sealed class LiveHub(LiveAudience audience, IOptions<LiveOptions> options) : Hub<ILiveClient>
{
    public const string Path = "/hubs/live";

    public override Task OnConnectedAsync()
    {
        audience.Connected(Context.ConnectionId);
        return base.OnConnectedAsync();
    }

    /// <summary>Receive the <c>fleet</c> summary once a second.</summary>
    public void JoinFleet() => audience.JoinFleet(Context.ConnectionId);

    /// <summary>Stop receiving the <c>fleet</c> summary.</summary>
    public void LeaveFleet() => audience.LeaveFleet(Context.ConnectionId);

    /// <summary>
    /// Receive every snapshot of this host as it is stored (the host need not exist yet). Refused for a name no agent
    /// may report under, and while this connection has joined <c>Live:MaxHostsPerConnection</c> (64) other hosts.
    /// </summary>
    public void JoinHost(string host)
    {
        if (!audience.JoinHost(Context.ConnectionId, Checked(host)))
        {
            var max = options.Value.MaxHostsPerConnection;
            throw new HubException(
                $"This connection has joined {max} hosts, the most one connection may (Live:MaxHostsPerConnection); leave one (LeaveHost) before joining another.");
        }
    }

    /// <summary>Stop receiving this host's snapshots.</summary>
    public void LeaveHost(string host) => audience.LeaveHost(Context.ConnectionId, Checked(host));

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        audience.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>The name as hosts are kept (lowercase, as DNS compares names and agents' names are stored), or a refusal.</summary>
    private static string Checked(string host) =>
        LiveHostNames.Problem(host) is { } problem ? throw new HubException($"Not a host name: {problem}.") : host.ToLowerInvariant();
}
