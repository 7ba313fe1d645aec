using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Live;

/// <summary>
/// A client that stops reading must not slow ingest: the writer hands snapshots to the live feed
/// without waiting, and the feed drops what the broadcaster cannot send. Were the writer to wait for
/// the hub, this agent would never see its acks (the stuck client keeps pinging, so the server never
/// drops it) and the run would time out. 6,000 kmem tables are several MB of JSON: more than the socket
/// buffers between the server and the client hold.
/// </summary>
public sealed class StuckClientTests : IAsyncLifetime
{
    private const string Capture = "linux-stap-kmemstat.txt";
    private const int Repeats = 500;

    private ServerProcess _server = null!;

    // The server would drop a client that accepts nothing for Live:SendTimeoutMs (10 s); here it keeps it
    // for longer than the agent may take, so only a writer that never waits for the hub lets the agent finish.
    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Live:SendTimeoutMs"] = "300000" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReplayAtFullSpeed_SubscriberNeverReads_EverySnapshotStoredAndAcknowledged()
    {
        var host = $"stuck-{Guid.NewGuid():N}";
        await using var stuck = await StuckHubClient.JoinHostAsync(_server.WebUrl, host);
        var capture = TempCaptures.Repeat(Capture, Repeats);
        try
        {
            var run = await AgentRun.RunAsync(
                ["--server", _server.IngestUrl.ToString(), "--host", host, "--os", "linux", "--speed", "0", "--once", "--replay", capture],
                TimeSpan.FromSeconds(90));

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.False(stuck.DroppedByServer, "the server dropped the stuck client, so this run does not show that ingest ignores it");
        }
        finally
        {
            File.Delete(capture);
        }

        var rows = await _server.GetAsync<List<KmemRowDto>>($"/api/hosts/{host}/top?probe=kmem&limit=0");
        var expected = TempCaptures.Times(Capture, Repeats);
        Assert.Equal(expected.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.First, k.Value.Second)),
            rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Allocs, r.Frees)));
    }
}
