using Tracefleet.EndToEnd.Infrastructure;
using Xunit.Abstractions;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Live;

/// <summary>
/// Hub connections that never read must cost everyone else nothing: a real .NET hub client watching a host keeps
/// receiving its snapshots, without gaps, while four stuck connections watch the same host and the fleet, and the
/// server's memory (its live managed heap) stays bounded. The host's snapshots are large (100 keys of 500 characters, about
/// 100 kB each as the server holds them) and come 50 a second, so the stuck connections' socket buffers fill within
/// seconds; from then on a server that waited for them would stall the watcher, and one that kept what it could not
/// send would grow by about 10 MB a second.
/// Memory is the server's managed heap after a full collection, not its VmRSS: the snapshots the stuck connections' queues
/// drop have lived long enough to reach the oldest generation, and until a full collection reclaims them (or as long as
/// the server GC keeps the pages committed) VmRSS rose by 50 to 110 MB from one run to the next, while the live heap
/// grew by the same 23 MB each time: the queues' 256 shared messages, however long the stream.
/// </summary>
public sealed class SlowClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int StuckClients = 4;
    private const int Keys = 100;
    private const int KeyLength = 500;
    private const int SnapshotsPerSecond = 50;
    private const int WarmUpSnapshots = 500;
    private const int StreamedSnapshots = 1500;
    private static readonly TimeSpan LongestGapAllowed = TimeSpan.FromSeconds(3);
    private const double MemoryGrowthAllowedMb = 100;
    private static readonly TimeSpan HeapPatience = TimeSpan.FromSeconds(30);

    private ServerProcess _server = null!;

    // Live:SendTimeoutMs would drop a connection whose socket takes nothing for 10 s; the stuck connections are kept
    // for the whole run here, so the run shows what they cost while they stay.
    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Live:SendTimeoutMs"] = "600000" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task StuckConnectionsWatchingAHost_WatcherReceivesItsSnapshotsWithoutGaps_ServerMemoryBounded()
    {
        var host = $"slow-{Guid.NewGuid():N}";
        var capture = TempCaptures.LongNames(40, Keys, KeyLength);
        try
        {
            await using var watcher = await LiveListener.ConnectAsync(_server.WebUrl);
            await watcher.JoinHostAsync(host);
            await watcher.JoinFleetAsync();
            await WarmUpAsync(watcher, capture);
            var rssBefore = ProcessMemory.RssMb(_server.ProcessId);
            var heapBefore = await ManagedHeap.AfterFullCollectionMbAsync(_server.ProcessId, HeapPatience);

            var stuck = new List<StuckHubClient>();
            try
            {
                for (var i = 0; i < StuckClients; i++)
                {
                    stuck.Add(await StuckHubClient.JoinHostAsync(_server.WebUrl, host, fleet: true));
                }

                await LoopingReplay.StreamAsync(_server, host, capture, SnapshotsPerSecond, StreamedSnapshots);
                var stoppedAt = DateTime.UtcNow;
                var stored = await LoopingReplay.LatestSequenceAsync(_server, host);
                // Until the last one stored has arrived, or long enough that it will not: the assertions below say what was missing.
                await Poll.TrueAsync(() => watcher.Snapshots.Any(s => s.Snapshot.Host == host && s.Snapshot.Sequence == (ulong)stored), TimeSpan.FromSeconds(20));
                var rssAfter = ProcessMemory.RssMb(_server.ProcessId);
                var heapAfter = await ManagedHeap.AfterFullCollectionMbAsync(_server.ProcessId, HeapPatience);

                var distinct = watcher.DistinctSnapshots(host);
                var longestGap = watcher.LongestGap(host, stoppedAt);
                output.WriteLine(
                    $"{StuckClients} stuck connections: watcher received {distinct} of {stored} snapshots stored, longest gap {longestGap.TotalMilliseconds:F0} ms; "
                    + $"server heap after a full collection {heapBefore:F0} MB before, {heapAfter:F0} MB after (RSS {rssBefore:F0} MB, {rssAfter:F0} MB)");

                Assert.All(stuck, s => Assert.False(s.DroppedByServer, "the server dropped a stuck connection, so this run does not show what they cost"));
                Assert.True(distinct >= 0.9 * stored, $"the watcher received {distinct} of {stored} snapshots");
                Assert.True(longestGap <= LongestGapAllowed, $"the watcher waited {longestGap.TotalSeconds:F1} s between two snapshots");
                Assert.True(watcher.Fleet.Count(f => f.Hosts.Any(h => h.Name == host && h.Reporting)) >= StreamedSnapshots / SnapshotsPerSecond / 2,
                    $"{watcher.Fleet.Count} fleet events");
                Assert.True(heapAfter - heapBefore <= MemoryGrowthAllowedMb, $"server heap after a full collection grew from {heapBefore:F0} MB to {heapAfter:F0} MB");
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
        await LoopingReplay.StreamAsync(_server, warmUp, capture, SnapshotsPerSecond, WarmUpSnapshots);
        var stored = await LoopingReplay.LatestSequenceAsync(_server, warmUp);
        await LiveListener.WaitUntilAsync(
            () => watcher.Snapshots.Any(s => s.Snapshot.Host == warmUp && s.Snapshot.Sequence == (ulong)stored), TimeSpan.FromSeconds(30), "the warm-up's snapshots");
    }
}
