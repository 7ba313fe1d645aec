using System.Net;
using System.Text.Json;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>
/// The real agent replaying a pagefaults capture in a loop at a set pace, for tests that need a steady stream of snapshots
/// for one host, and the count of them the server has stored.
/// </summary>
public static class LoopingReplay
{
    /// <summary>
    /// An agent replays <paramref name="capture"/> in a loop, <paramref name="perSecond"/> snapshots a second, until the
    /// server has stored <paramref name="snapshots"/> of them (however long a busy machine takes), then stops.
    /// </summary>
    public static async Task StreamAsync(ServerProcess server, string host, string capture, int perSecond, int snapshots)
    {
        await using var agent = new ChildProcess(RepoPaths.Agent,
            ["--server", server.IngestUrl.ToString(), "--host", host, "--os", "linux", "--replay", capture, "--loop", "--speed", $"{perSecond}"]);
        var stored = await Poll.UntilAsync(() => LatestSequenceAsync(server, host), n => n >= snapshots || agent.HasExited, TimeSpan.FromSeconds(180));
        Assert.True(stored >= snapshots, $"{stored} of {snapshots} snapshots stored in 180 s\n{agent.Output}");
    }

    /// <summary>
    /// The sequence number of the host's newest stored pagefaults snapshot (0 before the first): as many were stored,
    /// when one agent numbered them from 1.
    /// </summary>
    public static async Task<long> LatestSequenceAsync(ServerProcess server, string host)
    {
        using var response = await server.Http.GetAsync($"/api/hosts/{host}/latest?probe=pagefaults");
        return response.StatusCode == HttpStatusCode.NotFound
            ? 0
            : JsonSerializer.Deserialize<LatestDto>(await response.Content.ReadAsStringAsync(), ServerProcess.Json)!.Sequence;
    }
}
