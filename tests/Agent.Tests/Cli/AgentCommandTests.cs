using System.CommandLine;
using Tracefleet.Agent.Cli;
using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Tests.Cli;

/// <summary>
/// The agent's public command line. <see cref="AgentCommand"/>'s options are static, so every test of it
/// lives in this one class (xUnit runs a class's tests one at a time).
/// </summary>
public sealed class AgentCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _captureA = Path.GetTempFileName();
    private readonly string _captureB = Path.GetTempFileName();

    public void Dispose()
    {
        File.Delete(_captureA);
        File.Delete(_captureB);
    }

    private static async Task<(int ExitCode, AgentOptions? Options, string Errors)> RunAsync(params string[] args)
    {
        AgentOptions? captured = null;
        var command = AgentCommand.Create((o, ct) =>
        {
            captured = o;
            return Task.FromResult(0);
        });
        using var output = new StringWriter();
        using var error = new StringWriter();
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };

        var exitCode = await command.Parse(args).InvokeAsync(configuration, CancellationToken.None).WaitAsync(Timeout);

        return (exitCode, captured, error.ToString());
    }

    [Fact]
    public async Task Parse_NoArguments_DefaultsFromTheContract()
    {
        var (exitCode, options, _) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.NotNull(options);
        Assert.Equal(new Uri("http://127.0.0.1:5081"), options.Server);
        Assert.Equal(BackendChoice.Auto, options.Backend);
        Assert.Equal(["pagefaults", "kmem"], options.Probes);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Interval);
        Assert.Empty(options.Replay);
        Assert.Equal(1, options.Speed);
        Assert.False(options.Once);
    }

    [Theory]
    [InlineData("1s", 1)]
    [InlineData("5s", 5)]
    [InlineData("1m", 60)]
    [InlineData("2h", 7200)]
    [InlineData("24h", 86400)]
    [InlineData("90", 90)]
    public async Task Parse_Interval_ParsedToWholeSeconds(string interval, int seconds)
    {
        var (exitCode, options, _) = await RunAsync("--interval", interval);

        Assert.Equal(0, exitCode);
        Assert.Equal(TimeSpan.FromSeconds(seconds), options?.Interval);
    }

    [Theory]
    [InlineData("--interval", "0s", "--interval")]
    [InlineData("--interval", "1.5s", "--interval")]
    [InlineData("--interval", "-1s", "--interval")]
    [InlineData("--interval", "5x", "--interval")]
    [InlineData("--interval", "s", "--interval")]
    [InlineData("--interval", "25h", "--interval: at most a day")]
    [InlineData("--probes", "pagefaults,no such probe", "\"no such probe\" is no probe name")]
    [InlineData("--probes", ",", "at least one probe")]
    [InlineData("--server", "ftp://example.org", "--server must be an http:// or https:// URL")]
    [InlineData("--server", "not a url", "--server must be an http:// or https:// URL")]
    [InlineData("--speed", "-1", "--speed")]
    [InlineData("--speed", "fast", "--speed")]
    [InlineData("--speed", "NaN", "--speed")]
    [InlineData("--backend", "perf", "perf")]
    [InlineData("--bpf-stats", "yes", "--bpf-stats must be on or off")]
    [InlineData("--merge-bpftrace", "maybe", "--merge-bpftrace must be on or off")]
    [InlineData("--max-probe-cpu", "-1", "--max-probe-cpu must be a percentage")]
    [InlineData("--max-probe-cpu", "NaN", "--max-probe-cpu must be a percentage")]
    [InlineData("--max-probe-cpu", "lots", "--max-probe-cpu must be a percentage")]
    [InlineData("--cost-window", "0s", "--cost-window")]
    public async Task Parse_BadValue_ErrorAndNonZeroExitWithoutRunning(string option, string value, string message)
    {
        var (exitCode, options, errors) = await RunAsync(option, value);

        Assert.NotEqual(0, exitCode);
        Assert.Null(options);
        Assert.Contains(message, errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_NoCostOptions_StatsOnTwoPercentTenSecondWindows()
    {
        var (exitCode, options, _) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.True(options?.BpfStats);
        Assert.True(options?.MergeBpftrace);
        Assert.Equal(2, options?.MaxProbeCpuPercent);
        Assert.Equal(TimeSpan.FromSeconds(10), options?.CostWindow);
    }

    [Fact]
    public async Task Parse_CostOptions_Bound()
    {
        var (exitCode, options, errors) = await RunAsync("--bpf-stats", "off", "--merge-bpftrace", "off", "--max-probe-cpu", "0.5%", "--cost-window", "2s");

        Assert.Equal(0, exitCode);
        Assert.Equal("", errors);
        Assert.False(options?.BpfStats);
        Assert.False(options?.MergeBpftrace);
        Assert.Equal(0.5, options?.MaxProbeCpuPercent);
        Assert.Equal(TimeSpan.FromSeconds(2), options?.CostWindow);
    }

    [Theory]
    [InlineData("pagefaults,kmem", new[] { "pagefaults", "kmem" })]
    [InlineData("kmem", new[] { "kmem" })]
    [InlineData("kmem, pagefaults", new[] { "kmem", "pagefaults" })]
    [InlineData("PageFaults,pagefaults", new[] { "pagefaults" })]
    [InlineData("syscalls,kmem", new[] { "syscalls", "kmem" })]
    public async Task Parse_Probes_CommaSeparatedListInOrderWithoutDuplicates(string probes, string[] expected)
    {
        var (exitCode, options, _) = await RunAsync("--probes", probes);

        Assert.Equal(0, exitCode);
        Assert.Equal(expected, options?.Probes);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("2.5", 2.5)]
    [InlineData("10", 10.0)]
    public async Task Parse_Speed_ParsedAsMultipleOfRealTime(string speed, double expected)
    {
        var (exitCode, options, _) = await RunAsync("--speed", speed);

        Assert.Equal(0, exitCode);
        Assert.Equal(expected, options?.Speed);
    }

    [Fact]
    public async Task Parse_ReplayRepeated_KeepsEveryFileInOrder()
    {
        var (exitCode, options, _) = await RunAsync("--replay", _captureA, "--replay", _captureB, "--speed", "0", "--once");

        Assert.Equal(0, exitCode);
        Assert.NotNull(options);
        Assert.Equal([_captureA, _captureB], options.Replay);
        Assert.True(options.IsReplay);
        Assert.Equal(0, options.Speed);
        Assert.True(options.Once);
    }

    [Fact]
    public async Task Parse_ServerBackendHostAndOnceTimeout_Bound()
    {
        var (exitCode, options, _) = await RunAsync(
            "--server", "https://fleet.example:9443", "--backend", "stap", "--host", "web-1", "--once-timeout", "2m", "--os", "solaris");

        Assert.Equal(0, exitCode);
        Assert.NotNull(options);
        Assert.Equal(new Uri("https://fleet.example:9443"), options.Server);
        Assert.Equal(BackendChoice.Stap, options.Backend);
        Assert.Equal("web-1", options.Host);
        Assert.Equal(TimeSpan.FromMinutes(2), options.OnceTimeout);
        Assert.Equal("solaris", options.Os);
    }
}
