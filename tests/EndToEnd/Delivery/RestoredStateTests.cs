using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Delivery;

/// <summary>
/// An agent state directory restored from a backup (or a VM snapshot), or copied to a second machine of the same name,
/// numbers new snapshots with sequence numbers it used before. The server tells a true resend (same content) from such a
/// conflict: nothing is acknowledged that is not stored, the agent starts a new epoch and sends them again under it, and
/// the totals are exactly what every run replayed.
/// </summary>
public sealed class RestoredStateTests
{
    private const string Kmem = "linux-stap-kmemstat.txt";
    private const string OtherKmem = "solaris-dtrace-kmemstat.txt";
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task StateDirRestoredFromABackup_NewSnapshotsReuseNumbers_ConflictNewEpochEverythingStoredOnce()
    {
        var host = $"restored-{Guid.NewGuid():N}";
        var stateDir = Directory.CreateTempSubdirectory("tracefleet-state-").FullName;
        var backup = Directory.CreateTempSubdirectory("tracefleet-backup-").FullName;
        await using var server = await ServerProcess.StartAsync();

        var first = await ReplayAsync(server, host, stateDir, Kmem);
        Assert.True(first.ExitCode == 0, first.ToString());
        CopyDirectory(stateDir, backup);
        var second = await ReplayAsync(server, host, stateDir, OtherKmem);
        Assert.True(second.ExitCode == 0, second.ToString());
        // The backup goes back: the next run numbers its snapshots as the second run did.
        Directory.Delete(stateDir, recursive: true);
        CopyDirectory(backup, stateDir);
        var third = await ReplayAsync(server, host, stateDir, Kmem);

        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains("CONFLICT", third.StandardError, StringComparison.Ordinal);
        Assert.Contains("Started epoch", third.StandardError, StringComparison.Ordinal);
        Assert.Contains("CONFLICT", server.Output, StringComparison.Ordinal);
        var expected = TempCaptures.Times(Kmem, 2);
        TempCaptures.Sum(expected, TempCaptures.Times(OtherKmem, 1));
        await ApiTotals.AssertKmemAsync(server, host, expected);
        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Matches($"tracefleet_snapshots_refused_total{{host=\"{host}\",probe=\"kmem\",reason=\"conflict\"}} [1-9]", metrics);
        Directory.Delete(stateDir, recursive: true);
        Directory.Delete(backup, recursive: true);
    }

    [Fact]
    public async Task StateDirCopiedToASecondMachineOfTheSameName_BothRunAtOnce_EverythingStoredOnce()
    {
        var host = $"cloned-{Guid.NewGuid():N}";
        var stateDir = Directory.CreateTempSubdirectory("tracefleet-state-").FullName;
        var clone = Directory.CreateTempSubdirectory("tracefleet-clone-").FullName;
        await using var server = await ServerProcess.StartAsync();
        var first = await ReplayAsync(server, host, stateDir, OtherKmem);
        Assert.True(first.ExitCode == 0, first.ToString());
        CopyDirectory(stateDir, clone);
        var (one, other) = (TempCaptures.Repeat(Kmem, 20), TempCaptures.Repeat(OtherKmem, 20));

        // Both number from the same place under the same epoch, at the same time: each machine traced its own tables.
        var runs = await Task.WhenAll(ReplayAsync(server, host, stateDir, one), ReplayAsync(server, host, clone, other));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.ToString()));
        Assert.Contains(runs, run => run.StandardError.Contains("CONFLICT", StringComparison.Ordinal));
        var expected = TempCaptures.Times(Kmem, 20);
        TempCaptures.Sum(expected, TempCaptures.Times(OtherKmem, 21));
        await ApiTotals.AssertKmemAsync(server, host, expected);
        File.Delete(one);
        File.Delete(other);
        Directory.Delete(stateDir, recursive: true);
        Directory.Delete(clone, recursive: true);
    }

    private static Task<AgentRun.Result> ReplayAsync(ServerProcess server, string host, string stateDir, string capture) =>
        AgentRun.RunAsync(
            ["--server", server.IngestUrl.ToString(), "--host", host, "--state-dir", stateDir, "--speed", "0", "--once",
             "--replay", Path.IsPathRooted(capture) ? capture : RepoPaths.Capture(capture)],
            AgentTimeout);

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            // The lock file is held only while an agent runs; a backup taken between runs holds it too.
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
