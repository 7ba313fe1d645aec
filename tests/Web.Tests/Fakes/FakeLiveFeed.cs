namespace Tracefleet.Web.Tests.Fakes;

/// <summary>The hub as pages see it, driven by the test: it records joins and raises events on demand.</summary>
public sealed class FakeLiveFeed : ILiveFeed
{
    public event Action<LiveSnapshot>? SnapshotReceived;

    public event Action<FleetSecond>? FleetReceived;

    public event Action<LiveAlert>? AlertReceived;

    public event Action? StateChanged;

    public string State { get; set; } = "Connected";

    public List<string> Calls { get; } = [];

    public Task ConnectAsync() => Record("Connect");

    public Task JoinFleetAsync() => Record("JoinFleet");

    public Task LeaveFleetAsync() => Record("LeaveFleet");

    public Task JoinHostAsync(string host) => Record($"JoinHost {host}");

    public Task LeaveHostAsync(string host) => Record($"LeaveHost {host}");

    public void Push(LiveSnapshot snapshot) => SnapshotReceived?.Invoke(snapshot);

    public void Push(FleetSecond fleet) => FleetReceived?.Invoke(fleet);

    public void Push(LiveAlert alert) => AlertReceived?.Invoke(alert);

    public void Changed() => StateChanged?.Invoke();

    private Task Record(string call)
    {
        lock (Calls)
        {
            Calls.Add(call);
        }

        return Task.CompletedTask;
    }
}
