using System.Collections.Concurrent;
using Tracefleet.Server.Live;

namespace Tracefleet.Server.Tests.Live;

/// <summary>
/// A hub connection as the server's sends see it. It keeps what it is sent; while <see cref="Stuck"/>, a send does
/// not complete (a client whose socket is full) until <see cref="Unstick"/>.
/// </summary>
public sealed class FakeLiveClient : ILiveClient
{
    private readonly TaskCompletionSource _unstuck = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<object> Received { get; } = new();

    /// <summary>Completed once a send has started while stuck.</summary>
    public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Stuck { get; set; }

    public void Unstick()
    {
        Stuck = false;
        _unstuck.TrySetResult();
    }

    public Task snapshot(LiveSnapshot snapshot) => Take(snapshot);

    public Task fleet(FleetSecond fleet) => Take(fleet);

    public Task alert(Server.Alerts.AlertEvent alert) => Take(alert);

    private async Task Take(object message)
    {
        if (Stuck)
        {
            Blocked.TrySetResult();
            await _unstuck.Task;
        }

        Received.Enqueue(message);
    }
}
