using Microsoft.AspNetCore.SignalR;

namespace Tracefleet.Server.Metrics;

/// <summary>Counts open SignalR connections as a hub filter, so the hubs themselves need not know about metrics.</summary>
public sealed class HubConnectionCounter : IHubFilter
{
    private long _open;

    public long Open => Interlocked.Read(ref _open);

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        await next(context).ConfigureAwait(false);
        Interlocked.Increment(ref _open);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Interlocked.Decrement(ref _open);
        await next(context, exception).ConfigureAwait(false);
    }
}
