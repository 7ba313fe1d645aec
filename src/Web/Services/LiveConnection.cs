using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.SignalR.Client;

namespace Tracefleet.Web.Services;

/// <summary>
/// The browser's one connection to <c>/hubs/live</c>. Pages say which groups they want; the
/// connection remembers them and joins them again after a reconnect (the server forgets groups
/// when a connection drops).
/// </summary>
public sealed class LiveConnection : ILiveFeed, IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly HashSet<string> _hosts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _fleet;

    public LiveConnection(NavigationManager navigation)
    {
        _hub = new HubConnectionBuilder()
            .WithUrl(navigation.ToAbsoluteUri("hubs/live"))
            .WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)])
            .Build();
        _hub.On<LiveSnapshot>("snapshot", snapshot => SnapshotReceived?.Invoke(snapshot));
        _hub.On<FleetSecond>("fleet", fleet => FleetReceived?.Invoke(fleet));
        // Sent to every client, no group to join: an alert matters on whatever page is open.
        _hub.On<LiveAlert>("alert", alert => AlertReceived?.Invoke(alert));
        _hub.Reconnected += async _ => { await RejoinAsync().ConfigureAwait(false); StateChanged?.Invoke(); };
        _hub.Reconnecting += _ => { StateChanged?.Invoke(); return Task.CompletedTask; };
        _hub.Closed += _ => { StateChanged?.Invoke(); return Task.CompletedTask; };
    }

    public event Action<LiveSnapshot>? SnapshotReceived;

    public event Action<FleetSecond>? FleetReceived;

    public event Action<LiveAlert>? AlertReceived;

    public event Action? StateChanged;

    public string State => _hub.State.ToString();

    /// <summary>Connects without joining anything, so the page header can say whether the live feed is up.</summary>
    public Task ConnectAsync() => EnsureStartedAsync();

    public async Task JoinFleetAsync()
    {
        _fleet = true;
        await InvokeWhenConnectedAsync("JoinFleet").ConfigureAwait(false);
    }

    public async Task LeaveFleetAsync()
    {
        _fleet = false;
        await InvokeWhenConnectedAsync("LeaveFleet").ConfigureAwait(false);
    }

    public async Task JoinHostAsync(string host)
    {
        _hosts.Add(host);
        await InvokeWhenConnectedAsync("JoinHost", host).ConfigureAwait(false);
    }

    public async Task LeaveHostAsync(string host)
    {
        _hosts.Remove(host);
        await InvokeWhenConnectedAsync("LeaveHost", host).ConfigureAwait(false);
    }

    private async Task InvokeWhenConnectedAsync(string method, params object[] arguments)
    {
        await EnsureStartedAsync().ConfigureAwait(false);
        if (_hub.State == HubConnectionState.Connected)
        {
            await _hub.InvokeCoreAsync(method, arguments).ConfigureAwait(false);
        }
    }

    private async Task EnsureStartedAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_hub.State == HubConnectionState.Disconnected)
            {
                await _hub.StartAsync().ConfigureAwait(false);
                StateChanged?.Invoke();
            }
        }
        catch (HttpRequestException)
        {
            // The server is away; the page still shows what the API gave it, and says the feed is disconnected.
            StateChanged?.Invoke();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RejoinAsync()
    {
        if (_fleet)
        {
            await _hub.InvokeAsync("JoinFleet").ConfigureAwait(false);
        }

        foreach (var host in _hosts.ToList())
        {
            await _hub.InvokeAsync("JoinHost", host).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}

/// <summary>What pages need of the live feed; a fake stands in for it in component tests.</summary>
public interface ILiveFeed
{
    event Action<LiveSnapshot>? SnapshotReceived;

    event Action<FleetSecond>? FleetReceived;

    /// <summary>An alert changed state (pending, firing, resolved) anywhere in the fleet.</summary>
    event Action<LiveAlert>? AlertReceived;

    event Action? StateChanged;

    string State { get; }

    Task ConnectAsync();

    Task JoinFleetAsync();

    Task LeaveFleetAsync();

    Task JoinHostAsync(string host);

    Task LeaveHostAsync(string host);
}
