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
    private const int WantedSamples = 600;
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
            await LiveListener.WaitUntilAsync(() => listener.Snapshots.Count >= WantedSamples, TimeSpan.FromSeconds(60),
                $"{WantedSamples} snapshots (got {listener.Snapshots.Count})\n{agents[0].Output}");
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }

        var samples = listener.Snapshots.Select(s => (s.ArrivedAt - s.Snapshot.ReceivedAt).TotalMilliseconds).ToList();
        var storedToArrival = listener.Snapshots.Select(s => (s.ArrivedAt - s.Snapshot.StoredAt).TotalMilliseconds).ToList();
        // The first seconds carry each agent's first pass, sent as a burst, plus JIT; the steady state is what users see.
        var firstAccepted = listener.Snapshots.Min(s => s.Snapshot.ReceivedAt);
        var steady = listener.Snapshots.Where(s => s.Snapshot.ReceivedAt >= firstAccepted + WarmUp)
            .Select(s => (s.ArrivedAt - s.Snapshot.ReceivedAt).TotalMilliseconds).ToList();
        var line = Percentiles.Describe("accepted → .NET SignalR client", samples) + "; "
            + Percentiles.Describe($"steady (after the first {WarmUp.TotalSeconds} s)", steady) + "; "
            + Percentiles.Describe("committed → client", storedToArrival);
        output.WriteLine(line);
        Percentiles.Record(line);
        Percentiles.RecordSamples("dotnet-client", listener.Snapshots.Select(s => (s.Snapshot.ReceivedAt, s.Snapshot.StoredAt, s.ArrivedAt)));

        Assert.True(samples.Count >= WantedSamples);
        Assert.All(samples, ms => Assert.True(ms >= -5, $"a snapshot arrived {ms} ms before the server accepted it: clocks differ?"));
    }
}
