using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Tracefleet.Server.Tests.History;

/// <summary>
/// scripts/bench.sh end to end (real server process, 20 simulated agents over gRPC, SignalR listener), storing in a
/// SQLite file and, with <c>--postgres</c>, in a throwaway PostgreSQL cluster: its last line is one JSON object with every
/// field, the generator's own CPU and Prometheus's bytes a sample on the same samples (promtool) among them. The figures
/// are printed, never asserted. One class, so the two runs take turns rather than share the machine.
/// </summary>
public sealed class BenchScriptTests(ITestOutputHelper output)
{
    private static readonly string[] Fields =
    [
        "hosts", "seconds", "snapshotsPerSecond", "samplesPerSecond", "liveLatencyP50Ms", "liveLatencyP99Ms", "bytesPerSample", "bytesPerSampleUnpacked",
        "promBytesPerSample", "queryTop7dP95Ms", "serverCpuCores", "generatorCpuCores", "serverRssMb", "agentCpuPercent", "agentRssMb", "naiveEfRatio", "seed", "openMetricsSamples", "rules", "alertTransitions",
        "alertsFiring",
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BenchSh_TwentyHostsTenSeconds_LastLineIsJsonWithEveryField(bool postgres)
    {
        var root = RepositoryRoot();
        string[] arguments = ["scripts/bench.sh", "--hosts", "20", "--seconds", "10", "--no-build", .. postgres ? ["--postgres"] : Array.Empty<string>()];
        using var process = Process.Start(new ProcessStartInfo("bash", arguments)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var (text, report) = (await stdout.WaitAsync(TimeSpan.FromSeconds(10)), await stderr.WaitAsync(TimeSpan.FromSeconds(10)));
        output.WriteLine(report);
        output.WriteLine(text);
        Assert.True(process.ExitCode == 0, $"bench.sh exited {process.ExitCode}:\n{report}");

        var last = text.TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        var missing = Fields.Where(f => !json.RootElement.TryGetProperty(f, out _)).ToList();
        Assert.True(missing.Count == 0, $"missing {string.Join(", ", missing)} in {last}");
        Assert.All(Fields, f => Assert.Contains(json.RootElement.GetProperty(f).ValueKind, new[] { JsonValueKind.Number, JsonValueKind.Null }));
        Assert.Equal(20, json.RootElement.GetProperty("hosts").GetInt32());
        Assert.Equal(10, json.RootElement.GetProperty("seconds").GetInt32());
        // The server stored what the generator's hand-encoded messages carried (a malformed one is refused, not stored).
        Assert.True(json.RootElement.GetProperty("samplesPerSecond").GetDouble() > 0, $"nothing stored in {last}");
        // Measurable on every machine that runs this: the generator's own process, and the samples it sent.
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("generatorCpuCores").ValueKind);
        Assert.True(json.RootElement.GetProperty("openMetricsSamples").GetInt64() > 0, $"no samples written as OpenMetrics in {last}");
        if (OnPath("promtool"))
        {
            Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("promBytesPerSample").ValueKind);
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, program)));

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
