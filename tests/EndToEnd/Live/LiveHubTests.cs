using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Live;

/// <summary>
/// The hub at <c>/hubs/live</c> through the official .NET SignalR client against the real server
/// binary, fed by real agent processes replaying captures.
/// </summary>
public sealed class LiveHubTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task JoinHost_ReplayKmemCapture_EverySnapshotInOrderWithTheCapturesCounts()
    {
        var host = $"live-kmem-{Guid.NewGuid():N}";
        const string capture = "linux-stap-kmemstat.txt";
        var expected = CaptureReference.Read(RepoPaths.Capture(capture));
        await using var listener = await LiveListener.ConnectAsync(fixture.Server.WebUrl);
        await listener.JoinHostAsync(host);

        var run = await ReplayOnceAsync(host, capture);

        Assert.True(run.ExitCode == 0, run.ToString());
        await LiveListener.WaitUntilAsync(() => listener.Snapshots.Count >= expected.Intervals, EventTimeout, $"{expected.Intervals} snapshots");
        var received = listener.Snapshots.Select(s => s.Snapshot).ToList();
        Assert.Equal(expected.Intervals, received.Count);
        Assert.All(received, s => Assert.Equal((host, "kmem", 1000), (s.Host, s.Probe, s.DurationMs)));
        Assert.Equal(Enumerable.Range(1, expected.Intervals).Select(i => (ulong)i), received.Select(s => s.Sequence));
        Assert.Equal(received.Select(s => s.Start).Order(), received.Select(s => s.Start));

        // Summed over every snapshot received, each cache's allocs and frees equal the capture's own sums.
        var sums = received.SelectMany(s => s.Rows).GroupBy(r => r.Key)
            .ToDictionary(g => g.Key, g => (g.Sum(r => (long)(r.Allocs ?? 0)), g.Sum(r => (long)(r.Frees ?? 0))));
        Assert.Equal(expected.Keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.First, k.Value.Second)),
            sums.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.Item1, k.Value.Item2)));
    }

    [Fact]
    public async Task JoinHost_PageFaultSnapshot_RowsCarryFaultsOnlyAndServerTimes()
    {
        var host = $"live-pf-{Guid.NewGuid():N}";
        await using var listener = await LiveListener.ConnectAsync(fixture.Server.WebUrl);
        await listener.JoinHostAsync(host);
        var before = DateTime.UtcNow;

        var run = await ReplayOnceAsync(host, "linux-stap-pfstat.txt");

        Assert.True(run.ExitCode == 0, run.ToString());
        await LiveListener.WaitUntilAsync(() => !listener.Snapshots.IsEmpty, EventTimeout, "a snapshot");
        var (snapshot, json, arrived) = listener.Snapshots.First();
        var row = json.GetProperty("rows")[0];
        Assert.True(row.TryGetProperty("key", out _) && row.TryGetProperty("faults", out _), row.ToString());
        Assert.False(row.TryGetProperty("allocs", out _), $"a pagefaults row has no allocs: {row}");
        Assert.InRange(snapshot.ReceivedAt, before.AddSeconds(-1), arrived.AddSeconds(1));
        Assert.InRange(snapshot.StoredAt, snapshot.ReceivedAt, arrived.AddSeconds(1));
    }

    [Fact]
    public async Task JoinHost_AnotherHostStreams_NothingOfItArrives()
    {
        var watched = $"live-quiet-{Guid.NewGuid():N}";
        var other = $"live-busy-{Guid.NewGuid():N}";
        await using var listener = await LiveListener.ConnectAsync(fixture.Server.WebUrl);
        await listener.JoinHostAsync(watched);
        await using var control = await LiveListener.ConnectAsync(fixture.Server.WebUrl);
        await control.JoinHostAsync(other);

        var run = await ReplayOnceAsync(other, "linux-stap-pfstat.txt");

        Assert.True(run.ExitCode == 0, run.ToString());
        // The control client, in the other host's group, saw the snapshots: they were broadcast.
        await LiveListener.WaitUntilAsync(() => !control.Snapshots.IsEmpty, EventTimeout, "the other host's snapshots");
        Assert.Empty(listener.Snapshots);
    }

    [Fact]
    public async Task JoinFleet_AgentStreaming_FleetEventListsItReportingWithItsCounts()
    {
        var host = $"live-fleet-{Guid.NewGuid():N}";
        await using var listener = await LiveListener.ConnectAsync(fixture.Server.WebUrl);
        await listener.JoinFleetAsync();
        await using var agent = new ChildProcess(RepoPaths.Agent,
            ["--server", fixture.Server.IngestUrl.ToString(), "--host", host, "--speed", "1", "--loop", "--replay", RepoPaths.Capture("linux-stap-pfstat.txt")]);

        await LiveListener.WaitUntilAsync(
            () => listener.Fleet.Any(f => f.Hosts.Any(h => h.Name == host && h.Reporting && h.Online && h.Faults > 0)),
            EventTimeout, $"a fleet event with {host} reporting faults\n{agent.Output}");
        var fleet = listener.Fleet.Last(f => f.Hosts.Any(h => h.Name == host && h.Reporting));
        Assert.Equal(fleet.Hosts.Count, fleet.Known);
        Assert.Equal(fleet.Hosts.Count(h => h.Reporting), fleet.Reporting);
        Assert.Equal(1000, fleet.IntervalMs);
        // One event a second, not one per snapshot: the server's ticks are a second apart, each stamped when it is
        // handled, so a late tick can come close to the next one but n events always span more than n − 2 seconds.
        var ticks = listener.Fleet.Select(f => f.At).ToList();
        Assert.True(ticks.Count < (ticks[^1] - ticks[0]).TotalSeconds + 2, $"{ticks.Count} fleet events from {ticks[0]:O} to {ticks[^1]:O}");
    }

    private Task<AgentRun.Result> ReplayOnceAsync(string host, string capture) =>
        AgentRun.RunAsync(
            ["--server", fixture.Server.IngestUrl.ToString(), "--host", host, "--os", "linux", "--speed", "0", "--once", "--replay", RepoPaths.Capture(capture)],
            AgentTimeout);
}
