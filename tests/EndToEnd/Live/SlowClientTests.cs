using Tracefleet.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace Tracefleet.EndToEnd.Live;

/// <summary>
/// Hub connections that never read must cost everyone else nothing: a real .NET hub client watching a host keeps
/// receiving its snapshots, without gaps, while four stuck connections watch the same host and the fleet, and the
/// server's memory (its own VmRSS) stays bounded. The host's snapshots are large (100 keys of 500 characters, about
/// 100 kB each as the server holds them) and come 50 a second, so the stuck connections' socket buffers fill within
/// seconds; from then on a server that waited for them would stall the watcher, and one that kept what it could not
/// send would grow by about 10 MB a second.
/// </summary>
public sealed class SlowClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int StuckClients = 4;
    private const int Keys = 100;
    private const int KeyLength = 500;
    private const int SnapshotsPerSecond = 50;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Streaming = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestGapAllowed = TimeSpan.FromSeconds(3);
    private const double MemoryGrowthAllowedMb = 100;

    private ServerProcess _server = null!;

    // Live:SendTimeoutMs would drop a connection whose socket takes nothing for 10 s; the stuck connections are kept
    // for the whole run here, so the run shows what they cost while they stay.
    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Live:SendTimeoutMs"] = "600000" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task StuckConnectionsWatchingAHost_WatcherReceivesItsSnapshotsWithoutGaps_ServerMemoryBounded()
    {
        var host = $"slow-{Guid.NewGuid():N}";
        var capture = TempCaptures.Intervals(Enumerable.Range(0, 40).Select(i =>
            Enumerable.Range(0, Keys).Select(k => ($"/srv/{k:D3}-{new string((char)('a' + (k % 26)), KeyLength - 9)}", (long)(i + k + 1)))));
        try
        {
            await using var watcher = await LiveListener.ConnectAsync(_server.WebUrl);
            await watcher.JoinHostAsync(host);
            await watcher.JoinFleetAsync();
            await WarmUpAsync(watcher, capture);
            var rssBefore = ProcessMemory.RssMb(_server.ProcessId);

            var stuck = new List<StuckHubClient>();
            try
            {
                for (var i = 0; i < StuckClients; i++)
                {
                    stuck.Add(await StuckHubClient.JoinHostAsync(_server.WebUrl, host, fleet: true));
                }

                await using (var agent = new ChildProcess(RepoPaths.Agent,
                    ["--server", _server.IngestUrl.ToString(), "--host", host, "--os", "linux", "--replay", capture, "--loop", "--speed", $"{SnapshotsPerSecond}"]))
                {
                    await Task.Delay(Streaming);
                    Assert.False(agent.HasExited, agent.Output);
                }

                var stoppedAt = DateTime.UtcNow;

                var stored = (await _server.GetAsync<LatestDto>($"/api/hosts/{host}/latest?probe=pagefaults")).Sequence;
                // Until the last one stored has arrived, or long enough that it will not: the assertions below say what was missing.
                await Eventually.TrueAsync(() => Received(watcher, host).Any(s => s.Snapshot.Sequence == (ulong)stored), TimeSpan.FromSeconds(20));
                var rssAfter = ProcessMemory.RssMb(_server.ProcessId);

                var received = Received(watcher, host);
                var distinct = received.Select(s => s.Snapshot.Sequence).Distinct().Count();
                // Until the agent stopped, the watcher should have been receiving: a stall at the end is a gap too.
                var arrivals = received.Select(s => s.ArrivedAt).Append(stoppedAt).Order().ToList();
                var longestGap = arrivals.Zip(arrivals.Skip(1), (a, b) => b - a).Max();
                output.WriteLine(
                    $"{StuckClients} stuck connections: watcher received {distinct} of {stored} snapshots stored, longest gap {longestGap.TotalMilliseconds:F0} ms; "
                    + $"server RSS {rssBefore:F0} MB before, {rssAfter:F0} MB after");

                Assert.All(stuck, s => Assert.False(s.DroppedByServer, "the server dropped a stuck connection, so this run does not show what they cost"));
                Assert.True(stored >= Streaming.TotalSeconds * SnapshotsPerSecond / 2, $"only {stored} snapshots stored in {Streaming.TotalSeconds} s");
                Assert.True(distinct >= 0.9 * stored, $"the watcher received {distinct} of {stored} snapshots");
                Assert.True(longestGap <= LongestGapAllowed, $"the watcher waited {longestGap.TotalSeconds:F1} s between two snapshots");
                Assert.True(watcher.Fleet.Count(f => f.Hosts.Any(h => h.Name == host && h.Reporting)) >= Streaming.TotalSeconds / 2,
                    $"{watcher.Fleet.Count} fleet events");
                Assert.True(rssAfter - rssBefore <= MemoryGrowthAllowedMb, $"server RSS grew from {rssBefore:F0} MB to {rssAfter:F0} MB");
            }
            finally
            {
                foreach (var client in stuck)
                {
                    await client.DisposeAsync();
                }
            }
        }
        finally
        {
            File.Delete(capture);
        }
    }

    /// <summary>
    /// The same stream for a while under another host's name, without stuck connections: the paths the test measures are
    /// compiled, and the garbage collector has sized its heaps for this load, before "before".
    /// </summary>
    private async Task WarmUpAsync(LiveListener watcher, string capture)
    {
        var warmUp = $"slow-warm-up-{Guid.NewGuid():N}";
        await watcher.JoinHostAsync(warmUp);
        await using (var agent = new ChildProcess(RepoPaths.Agent,
            ["--server", _server.IngestUrl.ToString(), "--host", warmUp, "--os", "linux", "--replay", capture, "--loop", "--speed", $"{SnapshotsPerSecond}"]))
        {
            await Task.Delay(WarmUp);
        }

        var stored = (await _server.GetAsync<LatestDto>($"/api/hosts/{warmUp}/latest?probe=pagefaults")).Sequence;
        await LiveListener.WaitUntilAsync(() => Received(watcher, warmUp).Any(s => s.Snapshot.Sequence == (ulong)stored), TimeSpan.FromSeconds(30), "the warm-up's snapshots");
    }

    private static List<(LiveSnapshotDto Snapshot, System.Text.Json.JsonElement Json, DateTime ArrivedAt)> Received(LiveListener watcher, string host) =>
        [.. watcher.Snapshots.Where(s => s.Snapshot.Host == host)];

    private sealed record LatestDto(long Sequence);
}
