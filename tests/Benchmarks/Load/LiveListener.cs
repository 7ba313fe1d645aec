using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Tracefleet.Benchmarks.Load;

/// <summary>A SignalR client on /hubs/live joined to some hosts: latency = arrival − the server's ReceivedAt (same clock).</summary>
internal sealed class LiveListener : IAsyncDisposable
{
    private readonly HubConnection _connection;

    private LiveListener(Uri web)
    {
        _connection = new HubConnectionBuilder().WithUrl(new Uri(web, "/hubs/live")).Build();
        _connection.On<JsonElement>("snapshot", snapshot =>
        {
            if (Recording && snapshot.TryGetProperty("receivedAt", out var received))
            {
                LatenciesMs.Add((DateTime.UtcNow - received.GetDateTime().ToUniversalTime()).TotalMilliseconds);
            }
        });
    }

    public ConcurrentBag<double> LatenciesMs { get; } = [];

    public bool Recording { get; set; }

    public static async Task<LiveListener> StartAsync(Uri web, IEnumerable<string> hosts, CancellationToken cancellationToken)
    {
        var listener = new LiveListener(web);
        await listener._connection.StartAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        foreach (var host in hosts)
        {
            await listener._connection.InvokeAsync("JoinHost", host, cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }

        return listener;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
