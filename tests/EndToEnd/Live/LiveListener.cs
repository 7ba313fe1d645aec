using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Live;

/// <summary>
/// A .NET SignalR client on the real server's <c>/hubs/live</c> that keeps every event it receives,
/// each with the local time it arrived, plus the raw JSON of snapshots (to check the wire shape).
/// </summary>
public sealed class LiveListener : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
    private readonly HubConnection _hub;

    private LiveListener(Uri webUrl)
    {
        _hub = new HubConnectionBuilder().WithUrl(new Uri(webUrl, "hubs/live")).Build();
        _hub.On<JsonElement>("snapshot", json =>
        {
            var arrived = DateTime.UtcNow;
            Snapshots.Enqueue((json.Deserialize<LiveSnapshotDto>(Web)!, json, arrived));
        });
        _hub.On<FleetSecondDto>("fleet", fleet => Fleet.Enqueue(fleet));
    }

    private static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);

    public ConcurrentQueue<(LiveSnapshotDto Snapshot, JsonElement Json, DateTime ArrivedAt)> Snapshots { get; } = new();

    public ConcurrentQueue<FleetSecondDto> Fleet { get; } = new();

    public static async Task<LiveListener> ConnectAsync(Uri webUrl)
    {
        var listener = new LiveListener(webUrl);
        await listener._hub.StartAsync().WaitAsync(CallTimeout);
        return listener;
    }

    public Task JoinHostAsync(string host) => _hub.InvokeAsync("JoinHost", host).WaitAsync(CallTimeout);

    public Task LeaveHostAsync(string host) => _hub.InvokeAsync("LeaveHost", host).WaitAsync(CallTimeout);

    public Task JoinFleetAsync() => _hub.InvokeAsync("JoinFleet").WaitAsync(CallTimeout);

    /// <summary>Snapshots of <paramref name="host"/> received, counting each sequence number once.</summary>
    public int DistinctSnapshots(string host) => Snapshots.Where(s => s.Snapshot.Host == host).Select(s => s.Snapshot.Sequence).Distinct().Count();

    /// <summary>
    /// The longest wait between two snapshots of <paramref name="host"/>, including the one from the last to <paramref name="until"/>
    /// (when the agent stopped: a feed that stalls at the end has a gap too).
    /// </summary>
    public TimeSpan LongestGap(string host, DateTime until)
    {
        var arrivals = Snapshots.Where(s => s.Snapshot.Host == host).Select(s => s.ArrivedAt).Append(until).Order().ToList();
        return arrivals.Zip(arrivals.Skip(1), (a, b) => b - a).DefaultIfEmpty().Max();
    }

    /// <summary>Waits until the condition holds over what was received, polling; fails the test with <paramref name="what"/> when it does not in time.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        Assert.True(await Poll.TrueAsync(condition, timeout), $"timed out after {timeout.TotalSeconds} s waiting for {what}");

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync().AsTask().WaitAsync(CallTimeout);
}
