using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Delivery;

/// <summary>A replay without <c>--once</c> is done when its snapshots are delivered, not when they are queued.</summary>
public sealed class ReplayDeliveryTests
{
    private const string Kmem = "linux-stap-kmemstat.txt";

    [Fact]
    public async Task ReplayWithoutOnce_ServerDownThenUp_WaitsAndDeliversEverythingBeforeItExits()
    {
        var host = $"patient-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync();
        server.Kill();
        await using var agent = new ChildProcess(RepoPaths.Agent,
            ["--server", server.IngestUrl.ToString(), "--host", host, "--speed", "0", "--replay", RepoPaths.Capture(Kmem)]);

        // Everything is queued at once; with nobody to take it, the agent must not call that done.
        Assert.True(await Poll.TrueAsync(() => agent.Output.Contains("waiting until the 12 snapshots", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), agent.Output);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(agent.HasExited, "the agent ended before anything was delivered:\n" + agent.Output);
        await server.RestartAsync();

        var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.True(exit == 0, $"agent exit {exit}:\n{agent.Output}");
        await ApiTotals.AssertKmemAsync(server, host, TempCaptures.Times(Kmem, 1));
    }
}
