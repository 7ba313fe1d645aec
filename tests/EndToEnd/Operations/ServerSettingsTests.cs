using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>Settings that contradict each other stop the real server at start, saying which rule they break.</summary>
public sealed class ServerSettingsTests
{
    [Fact]
    public async Task Start_MinuteRetentionShorterThanRaw_ExitsNamingTheRule()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["History:RawRetention"] = "1.00:00:00",
            ["History:MinuteRetention"] = "01:00:00",
        }));

        Assert.StartsWith("The server exited at start", refused.Message, StringComparison.Ordinal);
        Assert.Contains("History:MinuteRetention (01:00:00) must be at least History:RawRetention (1.00:00:00)", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--History:MinuteRetention=01:00:00", "error: History:MinuteRetention (01:00:00) must be at least History:RawRetention")]
    [InlineData("--History:QueryCacheMb=abc", "error: Failed to convert configuration value 'abc' at 'History:QueryCacheMb' to type 'System.Int32'")]
    [InlineData("--History:MinuteRetention=an hour", "error: Failed to convert configuration value 'an hour' at 'History:MinuteRetention' to type 'System.TimeSpan'")]
    public async Task Start_SettingItCannotUse_OnePlainLineAndExitCode2NoStackTrace(string setting, string message)
    {
        var data = Directory.CreateTempSubdirectory("tracefleet-settings-").FullName;

        var run = await ServerAsync([$"--Storage:Path={Path.Combine(data, "t.db")}", setting, "--urls", $"http://127.0.0.1:{LoopbackPort.Next()}"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.StandardError + run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError + run.StandardOutput, StringComparison.Ordinal);
        // Refused before it touched the database.
        Assert.False(File.Exists(Path.Combine(data, "t.db")));
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Help_PrintsUsageAndExitsWithoutStartingAServer()
    {
        var run = await ServerAsync(["--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("usage: tracefleet-server", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("token create HOST", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", run.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task<BufferedCommandResult> ServerAsync(string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Cli.Wrap(RepoPaths.Server).WithArguments(arguments).WithValidation(CommandResultValidation.None)
            .WithWorkingDirectory(Path.GetTempPath())
            .ExecuteBufferedAsync(Encoding.UTF8, timeout.Token);
    }
}
