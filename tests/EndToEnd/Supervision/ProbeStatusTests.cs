using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Supervision;

/// <summary>
/// A tracer that keeps dying is restarted with backoff, and its state and its own error text travel
/// to the server: the API shows the probe restarting (or failed) with the tracer's stderr.
/// A fake <c>stap</c> on PATH stands in for SystemTap, which cannot run on this machine.
/// </summary>
public sealed class ProbeStatusTests
{
    [Fact]
    public async Task DyingTracer_StatusReachesApiWithTracersErrorText()
    {
        var bin = Directory.CreateTempSubdirectory("tracefleet-fake-stap-").FullName;
        var stap = Path.Combine(bin, "stap");
        await File.WriteAllTextAsync(stap, """
            #!/bin/sh
            printf '  FAULTS VMFILE\n       3 libc.so.6\n'
            echo 'semantic error: while resolving probe point: identifier kernel at pfstat.stp:40:7' >&2
            exit 1
            """.Replace("            ", "", StringComparison.Ordinal));
        File.SetUnixFileMode(stap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var host = $"dying-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync();
        await using var agent = new ChildProcess(RepoPaths.Agent,
            ["--server", server.IngestUrl.ToString(), "--host", host, "--backend", "stap", "--probes", "pagefaults"],
            new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" });

        var probe = await Poll.UntilAsync(
            async () => (await ProbeStatuses.ReadAsync(server, host)).SingleOrDefault(),
            p => p is { Restarts: >= 2 } && p.LastError?.Contains("semantic error", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(60));

        Assert.True(probe is not null, "the host never appeared:\n" + agent.Output);
        Assert.NotNull(probe.State);
        Assert.True(probe.Restarts >= 2, $"restarts {probe.Restarts}:\n{agent.Output}");
        Assert.Contains("semantic error: while resolving probe point", probe.LastError, StringComparison.Ordinal);
        Assert.Equal("stap/vm.pagefault", probe.Variant);
        // What the tracer printed before dying still counts.
        var rows = await server.GetAsync<List<PageFaultRowDto>>($"/api/hosts/{host}/top?probe=pagefaults");
        Assert.True(Assert.Single(rows).Faults >= 3);
        Directory.Delete(bin, recursive: true);
    }
}
