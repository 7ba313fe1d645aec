using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>
/// Scale-out of the store: two servers share one PostgreSQL database, each with its own writer and its own
/// maintenance (rollups every second). An agent streams into each; either server answers for both hosts, and
/// the week-long top, answered from the rollups both maintenance services wrote, stays equal to the captures.
/// </summary>
public sealed class PostgresScaleOutTests
{
    private const int Repeats = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TwoServersOneDatabase_AgentOnEach_BothServersAnswerExactTotalsAfterRollups()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var settings = PostgresServerFixture.Settings(cluster);
        settings["History:MaintenanceIntervalSeconds"] = "1";
        await using var first = await ServerProcess.StartAsync(settings);
        await using var second = await ServerProcess.StartAsync(settings);
        var (linux, solaris) = ($"po-linux-{Guid.NewGuid():N}", $"po-solaris-{Guid.NewGuid():N}");

        var runs = await Task.WhenAll(
            ReplayAsync(first, linux, "linux-stap-kmemstat.txt"),
            ReplayAsync(second, solaris, "solaris-dtrace-kmemstat.txt"));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.ToString()));
        var week = Uri.EscapeDataString(DateTime.UtcNow.AddDays(-7).ToString("O"));
        foreach (var (host, capture) in new[] { (linux, "linux-stap-kmemstat.txt"), (solaris, "solaris-dtrace-kmemstat.txt") })
        {
            var expected = TempCaptures.Times(capture, Repeats).OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.First, k.Value.Second)).ToList();
            foreach (var server in new[] { first, second })
            {
                var top = await Poll.UntilAsync(() => TopAsync(server, host, week), rows => rows.SequenceEqual(expected), Patience);
                Assert.Equal(expected, top);
            }
        }

        // Several more maintenance passes on both servers: a bucket rolled up twice would now show double counts.
        await Task.Delay(TimeSpan.FromSeconds(4));
        foreach (var (host, capture) in new[] { (linux, "linux-stap-kmemstat.txt"), (solaris, "solaris-dtrace-kmemstat.txt") })
        {
            var expected = TempCaptures.Times(capture, Repeats).OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.First, k.Value.Second));
            Assert.Equal(expected, await TopAsync(second, host, week));
            Assert.Equal(expected, await TopAsync(first, host, week));
        }

        Assert.DoesNotContain("failed", first.Output + second.Output, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<List<(string Key, long Allocs, long Frees)>> TopAsync(ServerProcess server, string host, string from) =>
        (await server.GetAsync<List<KmemRowDto>>($"/api/hosts/{host}/top?probe=kmem&limit=0&from={from}"))
            .OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Allocs, r.Frees)).ToList();

    private static Task<AgentRun.Result> ReplayAsync(ServerProcess server, string host, string capture) =>
        AgentRun.RunAsync(
            ["--server", server.IngestUrl.ToString(), "--host", host, "--speed", "0", "--once", "--replay", TempCaptures.Repeat(capture, Repeats)],
            Patience);
}
