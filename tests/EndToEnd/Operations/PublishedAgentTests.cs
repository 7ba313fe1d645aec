using CliWrap;
using CliWrap.Buffered;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>
/// The agent as it ships: published with NativeAOT as one native linux-x64 file (the README's command; it needs clang,
/// which test.sh installs; test.sh publishes it once, else this test does), then run from its own folder, without the
/// SDK, to replay a capture into the real server.
/// </summary>
[Collection(NativePublishGroup.Name)]
public sealed class PublishedAgentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan PublishPatience = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan RunPatience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PublishedNativeAot_ReplayOnce_ExitsZeroWithExactTotals()
    {
        // scripts/test.sh publishes it once for every end-to-end test; run alone, the test publishes its own.
        var published = RepoPaths.PublishedAgent;
        var output = published is null ? Directory.CreateTempSubdirectory("tracefleet-published-agent-").FullName : Path.GetDirectoryName(published)!;
        try
        {
            if (published is null)
            {
                await PublishAsync(output);
            }

            var binary = Path.Combine(output, "tracefleet-agent");
            Assert.True(File.Exists(binary));
            Assert.Empty(Directory.GetFiles(output, "*.dll"));
            Assert.Empty(Directory.GetFiles(output, "*.so"));
            Assert.True(Directory.Exists(Path.Combine(output, "probes", "dtrace")), "the probe scripts are not beside the binary");

            var host = $"published-{Guid.NewGuid():N}";
            using var running = new CancellationTokenSource(RunPatience);
            var run = await Cli.Wrap(binary)
                .WithArguments(["--server", fixture.Server.IngestUrl.ToString(), "--host", host, "--os", "linux", "--speed", "0", "--once",
                    "--replay", RepoPaths.Capture("linux-stap-kmemstat.txt")])
                // Without the SDK on PATH: the file must carry its runtime.
                .WithEnvironmentVariables(e => e.Set("PATH", "/usr/bin:/bin").Set("DOTNET_ROOT", "/nonexistent"))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(running.Token);

            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.StandardError}");
            // The descriptors beside it are read without reflection, which NativeAOT does not have.
            Assert.DoesNotContain("descriptor refused", run.StandardError, StringComparison.Ordinal);
            var examples = Path.Combine(output, "probes", "examples");
            var user = await Cli.Wrap(binary)
                .WithArguments(["--server", fixture.Server.IngestUrl.ToString(), "--host", host + "-own", "--speed", "0", "--once",
                    "--probes-dir", examples, "--replay", Path.Combine(examples, "blockio_example.txt")])
                .WithEnvironmentVariables(e => e.Set("PATH", "/usr/bin:/bin").Set("DOTNET_ROOT", "/nonexistent"))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(running.Token);
            Assert.True(user.ExitCode == 0, $"exit {user.ExitCode}: {user.StandardError}");
            using var blockio = System.Text.Json.JsonDocument.Parse(await fixture.Server.Http.GetStringAsync($"/api/hosts/{host}-own/top?probe=blockio&limit=1").WaitAsync(RunPatience));
            Assert.True(blockio.RootElement[0].GetProperty("bytes").GetUInt64() > 0, blockio.RootElement.ToString());
            var expected = CaptureReference.Read(RepoPaths.Capture("linux-stap-kmemstat.txt")).Keys;
            var rows = await fixture.Server.GetAsync<List<KmemRowDto>>($"/api/hosts/{host}/top?probe=kmem&limit=0").WaitAsync(RunPatience);
            Assert.Equal(
                expected.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.First, k.Value.Second)),
                rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Allocs, r.Frees)));
        }
        finally
        {
            if (published is null)
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static async Task PublishAsync(string output)
    {
        using var publishing = new CancellationTokenSource(PublishPatience);
        var publish = await Cli.Wrap("dotnet")
            .WithArguments(["publish", Path.Combine(RepoPaths.Root, "src", "Agent"), "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true",
                "-o", output, "-nologo", "--verbosity", "quiet"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(publishing.Token);
        Assert.True(publish.ExitCode == 0, $"dotnet publish: {publish.StandardOutput}{publish.StandardError}");
    }
}
