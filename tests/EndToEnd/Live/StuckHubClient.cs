using System.Net.WebSockets;
using System.Text;

namespace Tracefleet.EndToEnd.Live;

/// <summary>
/// A SignalR client that joins a host over a raw WebSocket (JSON protocol, no negotiation) and then
/// never reads again: a browser tab frozen by its machine. Whatever the server sends it piles up in the
/// socket buffers until the server's writes to it block. It keeps sending pings, so the server does
/// not time it out (Hub ClientTimeoutInterval): it stays connected and stuck for as long as the test wants.
/// </summary>
public sealed class StuckHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(5);
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _received = new();
    private Task _pinging = Task.CompletedTask;

    /// <summary>The server closed the connection (a ping could not be sent).</summary>
    public bool DroppedByServer { get; private set; }

    /// <summary>Connects, joins <paramref name="host"/> (and with <paramref name="fleet"/> the fleet summary), then stops reading.</summary>
    public static async Task<StuckHubClient> JoinHostAsync(Uri webUrl, string host, bool fleet = false)
    {
        var client = new StuckHubClient();
        using var cancel = new CancellationTokenSource(Timeout);
        await client._socket.ConnectAsync(new Uri($"ws://{webUrl.Authority}/hubs/live"), cancel.Token);
        await client.SendAsync("""{"protocol":"json","version":1}""", cancel.Token);
        Assert.Equal("{}", await client.ReceiveRecordAsync(cancel.Token));
        await client.InvokeAsync("1", "JoinHost", $"\"{host}\"", cancel.Token);
        if (fleet)
        {
            await client.InvokeAsync("2", "JoinFleet", "", cancel.Token);
        }

        // After the completions, nothing is read any more.
        client._pinging = client.PingAsync(client._stop.Token);
        return client;
    }

    private async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(PingEvery, cancellationToken);
                await SendAsync("""{"type":6}""", cancellationToken).WaitAsync(Timeout, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            DroppedByServer = true;
        }
    }

    /// <summary>Calls a hub method and reads up to its completion (type 3), past any event sent before it.</summary>
    private async Task InvokeAsync(string invocationId, string target, string arguments, CancellationToken cancellationToken)
    {
        await SendAsync($$"""{"type":1,"invocationId":"{{invocationId}}","target":"{{target}}","arguments":[{{arguments}}]}""", cancellationToken);
        string record;
        do
        {
            record = await ReceiveRecordAsync(cancellationToken);
        }
        while (!record.Contains("\"type\":3", StringComparison.Ordinal) || !record.Contains($"\"invocationId\":\"{invocationId}\"", StringComparison.Ordinal));

        Assert.DoesNotContain("\"error\"", record, StringComparison.Ordinal);
    }

    private Task SendAsync(string message, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, cancellationToken);

    private async Task<string> ReceiveRecordAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        int end;
        while ((end = _received.ToString().IndexOf(RecordSeparator, StringComparison.Ordinal)) < 0)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            _received.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        var record = _received.ToString(0, end);
        _received.Remove(0, end + 1);
        return record;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pinging.WaitAsync(Timeout);
        // Abort, not close: a closing handshake would need the reads this client refuses to do.
        _socket.Abort();
        _socket.Dispose();
        _stop.Dispose();
    }
}
