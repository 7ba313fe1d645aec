using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd;

/// <summary><c>--once</c> ends non-zero with a plain message when delivery cannot happen.</summary>
public sealed class AgentDeliveryFailureTests
{
    [Fact]
    public async Task ReplayOnce_NoServerListening_ExitsNonZeroNamingTheServer()
    {
        var nowhere = $"http://127.0.0.1:{LoopbackPort.Next()}";

        var run = await AgentRun.RunAsync(
            ["--server", nowhere, "--host", "lonely", "--replay", RepoPaths.Capture("linux-stap-kmemstat.txt"), "--speed", "0", "--once", "--once-timeout", "3s"],
            TimeSpan.FromSeconds(60));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("gave up after 3 s", run.StandardError, StringComparison.Ordinal);
        Assert.Contains(nowhere, run.StandardError, StringComparison.Ordinal);
        Assert.Contains("12 snapshots not delivered", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a capture\nnor this\n")]
    public async Task ReplayOnce_NoTableInTheFile_ExitsFourNamingTheFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-empty-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, content);
        try
        {
            var nowhere = $"http://127.0.0.1:{LoopbackPort.Next()}";
            var run = await AgentRun.RunAsync(["--server", nowhere, "--host", "empty", "--replay", path, "--once", "--once-timeout", "3s"], TimeSpan.FromSeconds(60));

            Assert.Equal(4, run.ExitCode);
            Assert.Contains($"cannot replay {path}: {path}: no table found", run.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled", run.StandardError + run.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("/nonexistent/capture.txt", "--replay: no such file: /nonexistent/capture.txt")]
    [InlineData("/tmp", "--replay: /tmp is a directory, not a capture")]
    public async Task Replay_NoCaptureAtThePath_ExitsFourNamingIt(string path, string message)
    {
        var run = await AgentRun.RunAsync(["--server", $"http://127.0.0.1:{LoopbackPort.Next()}", "--replay", path, "--once"], TimeSpan.FromSeconds(30));

        Assert.Equal(4, run.ExitCode);
        Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", run.StandardError + run.StandardOutput, StringComparison.Ordinal);
    }
}
