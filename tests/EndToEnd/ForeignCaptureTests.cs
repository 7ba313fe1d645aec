using System.Globalization;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd;

/// <summary>
/// Tracer output saved elsewhere (a crashed host, another machine) replayed by a real agent process into a real
/// server: what is good in it is stored, what is broken is counted and skipped, and the agent exits 0; a replay
/// looping at full speed is paced by the server's acknowledgements and keeps its spool small.
/// </summary>
public sealed class ForeignCaptureTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(90);
    private readonly ServerProcess _server = fixture.Server;
    private readonly List<string> _files = [];

    public void Dispose() => _files.ForEach(File.Delete);

    private string Capture(string latin1)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-foreign-{Guid.NewGuid():N}.txt");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes(latin1));
        _files.Add(path);
        return path;
    }

    private Task<AgentRun.Result> ReplayOnceAsync(string host, string capture) =>
        AgentRun.RunAsync(["--server", _server.IngestUrl.ToString(), "--host", host, "--replay", capture, "--once", "--speed", "0"], AgentTimeout);

    [Fact]
    public async Task ReplayOnce_NulPaddingAfterACrash_GoodTableStoredAndAgentExitsZero()
    {
        var host = $"nul-{Guid.NewGuid():N}";
        var capture = Capture("  ALLOCS    FREES SLAB\n       1        1 a\0\n  ALLOCS    FREES SLAB\n       2        2 b\n");

        var run = await ReplayOnceAsync(host, capture);

        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = await _server.GetAsync<List<KmemRowDto>>($"/api/hosts/{host}/top?probe=kmem&limit=0");
        Assert.Equal([new KmemRowDto("b", 2, 2)], rows);
    }

    [Fact]
    public async Task ReplayOnce_DevInodeCaptureOfAnotherHost_StoredUnderDeviceAndInode()
    {
        var host = $"devino-{Guid.NewGuid():N}";
        var capture = Capture("  FAULTS DEV INODE\n@faults[1048577, 2]: 1\n");

        var run = await ReplayOnceAsync(host, capture);

        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = await _server.GetAsync<List<PageFaultRowDto>>($"/api/hosts/{host}/top?probe=pagefaults&limit=0");
        Assert.Equal([new PageFaultRowDto("[dev 1:1 ino 2]", 1)], rows);
    }

    [Fact]
    public async Task ReplayLoopAtSpeedZero_WithStateDir_ConnectsStoresAndKeepsTheSpoolSmall()
    {
        const int Backlog = 4 * 256;
        var host = $"loop-{Guid.NewGuid():N}";
        var stateDir = Directory.CreateTempSubdirectory("tracefleet-loop-state-").FullName;
        var spool = Path.Combine(stateDir, "spool");
        try
        {
            await using var agent = new ChildProcess(RepoPaths.Agent,
                ["--server", _server.IngestUrl.ToString(), "--host", host, "--replay", RepoPaths.Capture("linux-stap-kmemstat.txt"),
                 "--loop", "--speed", "0", "--state-dir", stateDir]);

            // The server stores snapshots for as long as it takes to go well past what the backlog alone allows,
            // while the spool is sampled: the replay can only get there by waiting for acknowledgements.
            var mostFiles = 0;
            var mostBytes = 0L;
            var latest = await Poll.UntilAsync(
                async () =>
                {
                    var (files, bytes) = await SpoolOnDiskAsync(spool);
                    mostFiles = Math.Max(mostFiles, files);
                    mostBytes = Math.Max(mostBytes, bytes);
                    return await LatestSequenceAsync(host);
                },
                sequence => sequence > 4 * Backlog,
                TimeSpan.FromSeconds(90));

            Assert.True(latest > 4 * Backlog, $"the server stored up to sequence {latest} only\n{agent.Output}");
            Assert.False(agent.HasExited, agent.Output);
            Assert.Contains("Connected to", agent.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("dropped", agent.Output, StringComparison.OrdinalIgnoreCase);
            Assert.InRange(mostFiles, 1, Backlog + 1);
            Assert.InRange(mostBytes, 1, (Backlog + 1) * 4096L);
        }
        finally
        {
            Directory.Delete(stateDir, recursive: true);
        }
    }

    private async Task<long> LatestSequenceAsync(string host)
    {
        using var response = await _server.Http.GetAsync($"/api/hosts/{host}/latest?probe=kmem&limit=1");
        return response.IsSuccessStatusCode
            ? System.Text.Json.JsonSerializer.Deserialize<LatestDto>(await response.Content.ReadAsStringAsync(), ServerProcess.Json)!.Sequence
            : 0;
    }

    /// <summary>The spool's snapshot files and the disk they take (find's %b: 512-byte blocks), as the file system reports them.</summary>
    private static async Task<(int Files, long Bytes)> SpoolOnDiskAsync(string spool)
    {
        if (!Directory.Exists(spool))
        {
            return (0, 0);
        }

        // Files come and go while find runs; one it cannot stat any more is simply not counted.
        var found = await Cli.Wrap("find")
            .WithArguments([spool, "-name", "*.snap", "-printf", "%b\n"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()
            .Task.WaitAsync(TimeSpan.FromSeconds(30));
        var blocks = found.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(b => long.Parse(b, CultureInfo.InvariantCulture))
            .ToList();
        return (blocks.Count, blocks.Sum() * 512);
    }
}
