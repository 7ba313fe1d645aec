using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Delivery;

/// <summary>
/// A write batch that fails reaches the agents in it: when the store cannot write (its file locked by someone else),
/// their streams end and they send again once it can; when one snapshot is what the store refuses, that one alone is
/// refused and every other snapshot, of that agent and of the agents sharing its batches, is stored.
/// </summary>
public sealed class StoreFailureTests
{
    private const string Kmem = "linux-stap-kmemstat.txt";
    private const string OtherKmem = "solaris-dtrace-kmemstat.txt";
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task SqliteFileLockedByAnotherProcess_AgentsReconnectAndResend_EverythingStoredOnce()
    {
        var host = $"locked-{Guid.NewGuid():N}";
        var capture = TempCaptures.Repeat(Kmem, 10);
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Storage:LockTimeoutSeconds"] = "2" });
        // Ten snapshots a second for twelve seconds: the lock comes while the agent is sending.
        var agent = ReplayAsync(server, host, capture, speed: "10");
        Assert.True(await Poll.TrueAsync(() => StoredAny(server, host), TimeSpan.FromSeconds(60)), "nothing was stored before the lock");

        await using (await SqliteWriteLock.TakeAsync(server.DatabasePath))
        {
            Assert.True(
                await Poll.TrueAsync(() => server.Output.Contains("Writing a batch of", StringComparison.Ordinal), TimeSpan.FromSeconds(60)),
                "no write failed while the file was locked:\n" + server.Output);
            // Held well past the lock timeout: several batches fail, and the agent's stream ends more than once.
            // Meanwhile readiness says the store is not writing, so a supervisor sees it.
            var ready = await Poll.UntilAsync(() => ReadyAsync(server), r => r.Status == 503, TimeSpan.FromSeconds(8));
            Assert.True(ready.Status == 503 && ready.Body.Contains("has failed every write", StringComparison.Ordinal), $"{ready.Status}: {ready.Body}");
            await Task.Delay(TimeSpan.FromSeconds(4));
        }

        var run = await agent;
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("the store cannot write now", run.StandardError, StringComparison.Ordinal);
        await ApiTotals.AssertKmemAsync(server, host, TempCaptures.Times(Kmem, 10));
        Assert.Equal(200, (await ReadyAsync(server)).Status);
        File.Delete(capture);
    }

    private static async Task<(int Status, string Body)> ReadyAsync(ServerProcess server)
    {
        using var response = await server.Http.GetAsync("/healthz/ready");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StoreStuckLongerThanTheAckTimeout_AgentReconnectsOnItsOwn_EverythingStoredOnce()
    {
        var host = $"stuck-{Guid.NewGuid():N}";
        // The writer waits a minute for the lock: a server that neither acknowledges nor ends the stream.
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Storage:LockTimeoutSeconds"] = "60" });
        var capture = TempCaptures.Repeat(Kmem, 10);
        var agent = AgentRun.RunAsync(
            ["--server", server.IngestUrl.ToString(), "--host", host, "--speed", "10", "--once", "--once-timeout", "90s", "--ack-timeout", "3s", "--replay", capture],
            AgentTimeout);
        Assert.True(await Poll.TrueAsync(() => StoredAny(server, host), TimeSpan.FromSeconds(60)), "nothing was stored before the lock");

        await using (await SqliteWriteLock.TakeAsync(server.DatabasePath))
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
        }

        var run = await agent;
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("no acknowledgement for", run.StandardError, StringComparison.Ordinal);
        await ApiTotals.AssertKmemAsync(server, host, TempCaptures.Times(Kmem, 10));
        File.Delete(capture);
    }

    private static bool StoredAny(ServerProcess server, string host)
    {
        using var response = server.Http.GetAsync($"/api/hosts/{host}/latest?probe=kmem").GetAwaiter().GetResult();
        return response.IsSuccessStatusCode && response.Content.ReadAsStringAsync().GetAwaiter().GetResult().Contains("\"rows\":[{", StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresRefusesOneSnapshot_OnlyThatOneRefused_OtherAgentsSharingItsBatchesStored()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var database = PostgresCluster.NewDatabaseName();
        var settings = PostgresServerFixture.Settings(cluster);
        settings["Storage:ConnectionString"] = cluster.ConnectionString(database);
        await using var server = await ServerProcess.StartAsync(settings);
        var (poisoned, healthy) = ($"poisoned-{Guid.NewGuid():N}", $"healthy-{Guid.NewGuid():N}");
        // A store that refuses one snapshot of one host, the way a data error would (the store's own words come back).
        await cluster.ExecuteAsync(database, $"""
            CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN
              IF NEW.sequence = 5 AND NEW.hostid = (SELECT id FROM hosts WHERE name = '{poisoned}') THEN
                RAISE EXCEPTION 'this snapshot cannot be stored';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_one BEFORE INSERT ON snapshots FOR EACH ROW EXECUTE FUNCTION refuse_one();
            """);
        var (healthyCapture, poisonedCapture) = (TempCaptures.Repeat(OtherKmem, 30), TempCaptures.Repeat(Kmem, 3));

        var runs = await Task.WhenAll(ReplayAsync(server, healthy, healthyCapture), ReplayAsync(server, poisoned, poisonedCapture));

        var (healthyRun, poisonedRun) = (runs[0], runs[1]);
        Assert.True(healthyRun.ExitCode == 0, healthyRun.ToString());
        await ApiTotals.AssertKmemAsync(server, healthy, TempCaptures.Times(OtherKmem, 30));
        // --once says that not everything was delivered, and why.
        Assert.True(poisonedRun.ExitCode == 1, poisonedRun.ToString());
        Assert.Contains("the server refused 1 snapshots", poisonedRun.StandardError, StringComparison.Ordinal);
        Assert.Contains("this snapshot cannot be stored", poisonedRun.StandardError, StringComparison.Ordinal);
        // Sequence 5 is the capture's fifth interval, in its first copy.
        var fifth = NaiveCapture.Read(RepoPaths.Capture(Kmem))[4];
        var expected = TempCaptures.Times(Kmem, 3);
        foreach (var (key, values) in fifth)
        {
            var sum = expected[key];
            expected[key] = (sum.First - (long)values.First, sum.Second - (long)values.Second);
        }

        await ApiTotals.AssertKmemAsync(server, poisoned, expected.Where(k => k.Value != (0, 0)).ToDictionary(StringComparer.Ordinal));
        File.Delete(healthyCapture);
        File.Delete(poisonedCapture);
    }

    private static Task<AgentRun.Result> ReplayAsync(ServerProcess server, string host, string capture, string speed = "0") =>
        AgentRun.RunAsync(["--server", server.IngestUrl.ToString(), "--host", host, "--speed", speed, "--once", "--once-timeout", "90s", "--replay", capture], AgentTimeout);
}
