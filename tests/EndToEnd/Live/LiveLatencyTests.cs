using Tracefleet.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace Tracefleet.EndToEnd.Live;

/// <summary>
/// Measures (does not assert) how long after the server accepted a snapshot a .NET SignalR client
/// on loopback has it: several replay agents stream live, the client subscribes to all of them, and
/// each sample is its arrival time minus the snapshot's <c>receivedAt</c> (same machine, same clock).
/// The figures go to the test output and TestResults/live-latency.txt.
/// </summary>
public sealed class LiveLatencyTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const int Agents = 5;
    private const int WantedSamples = 400;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Snapshots_FiveAgentsStreaming_LatencyMeasured()
    {
        var hosts = Enumerable.Range(1, Agents).Select(i => $"lat-{i:00}-{Guid.NewGuid():N}").ToList();
        await using var listener = await LiveListener.ConnectAsync(fixture.Server.WebUrl);
        foreach (var host in hosts)
        {
            await listener.JoinHostAsync(host);
        }

        // Each agent sends both probes at four times real time: 8 snapshots a second each, 40 in all.
        var agents = hosts.Select(host => new ChildProcess(RepoPaths.Agent,
        [
            "--server", fixture.Server.IngestUrl.ToString(), "--host", host, "--speed", "4", "--loop",
            "--replay", RepoPaths.Capture("linux-stap-pfstat.txt"), "--replay", RepoPaths.Capture("linux-stap-kmemstat.txt"),
        ])).ToList();
        try
        {
            // Samples count once the agents' first passes (sent as a burst) and the JIT are behind: that steady state is what users see.
            await LiveListener.WaitUntilAsync(() => Steady(listener).Count() >= WantedSamples, TimeSpan.FromSeconds(60),
                $"{WantedSamples} snapshots after the warm-up (got {Steady(listener).Count()})\n{agents[0].Output}");
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }

        var all = listener.Snapshots.Select(s => (s.ArrivedAt - s.Snapshot.ReceivedAt).TotalMilliseconds).ToList();
        var steady = Steady(listener).Select(s => (s.ArrivedAt - s.Snapshot.ReceivedAt).TotalMilliseconds).ToList();
        var storedToArrival = Steady(listener).Select(s => (s.ArrivedAt - s.Snapshot.StoredAt).TotalMilliseconds).ToList();
        var line = Percentiles.Describe($"accepted → .NET SignalR client, after the first {WarmUp.TotalSeconds} s", steady) + "; "
            + Percentiles.Describe("of which committed → client", storedToArrival) + "; "
            + Percentiles.Describe("including the warm-up burst", all);
        output.WriteLine(line);
        Percentiles.Record(line);
        Percentiles.RecordSamples("dotnet-client", listener.Snapshots.Select(s => (s.Snapshot.ReceivedAt, s.Snapshot.StoredAt, s.ArrivedAt)));

        Assert.True(steady.Count >= WantedSamples);
        Assert.All(all, ms => Assert.True(ms >= -5, $"a snapshot arrived {ms} ms before the server accepted it: clocks differ?"));
    }

    private static IEnumerable<(LiveSnapshotDto Snapshot, System.Text.Json.JsonElement Json, DateTime ArrivedAt)> Steady(LiveListener listener)
    {
        var snapshots = listener.Snapshots.ToList();
        if (snapshots.Count == 0)
        {
            return [];
        }

        var start = snapshots.Min(s => s.Snapshot.ReceivedAt) + WarmUp;
        return snapshots.Where(s => s.Snapshot.ReceivedAt >= start);
    }
}
