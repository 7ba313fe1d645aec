using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>
/// A Solaris host through ssh: the real agent runs the project's DTrace scripts on the "remote" side of a real
/// sshd on loopback, where a fake <c>dtrace</c> (Solaris cannot run here) checks it was handed the script on
/// stdin and prints a Solaris capture. Totals must be exact and the host named as the remote.
/// </summary>
public sealed class SshTracingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SshOnce_FakeRemoteDtrace_TotalsExactUnderRemoteName()
    {
        await using var sshd = await SshServer.StartAsync(Patience);
        // Each script names its columns in its header printf: that tells the fake which capture to print.
        sshd.AddExecutable("dtrace", $$"""
            #!/bin/sh
            [ "$1 $2 $3" = "-q -s /dev/stdin" ] || { echo "fake dtrace: unexpected arguments: $*" >&2; exit 2; }
            script=$(cat)
            case "$script" in
              *ALLOCS*) exec cat '{{RepoPaths.Capture("solaris-dtrace-kmemstat.txt")}}' ;;
              *FAULTS*) exec cat '{{RepoPaths.Capture("solaris-dtrace-pfstat.txt")}}' ;;
            esac
            echo "fake dtrace: no script on stdin" >&2
            exit 1
            """);
        await using var server = await ServerProcess.StartAsync();

        var run = await AgentRun.RunAsync(["--server", server.IngestUrl.ToString(), "--once", .. sshd.AgentArguments], Patience);

        Assert.True(run.ExitCode == 0, $"{run}\nsshd:\n{sshd.Output}");
        var hosts = await server.GetAsync<List<HostDto>>("/api/hosts");
        var host = Assert.Single(hosts);
        Assert.Equal("127.0.0.1", host.Name);
        Assert.Equal("solaris", host.Os);
        var faults = CaptureReference.Read(RepoPaths.Capture("solaris-dtrace-pfstat.txt")).Keys;
        var faultRows = await server.GetAsync<List<PageFaultRowDto>>("/api/hosts/127.0.0.1/top?probe=pagefaults&limit=0");
        Assert.Equal(
            faults.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.First)),
            faultRows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Faults)));
        var kmem = CaptureReference.Read(RepoPaths.Capture("solaris-dtrace-kmemstat.txt")).Keys;
        var kmemRows = await server.GetAsync<List<KmemRowDto>>("/api/hosts/127.0.0.1/top?probe=kmem&limit=0");
        Assert.Equal(
            kmem.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.First, k.Value.Second)),
            kmemRows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Allocs, r.Frees)));
    }

    [Fact]
    public async Task Ssh_NoSshdListening_ProbeRestartsWithSshErrorAsLastError()
    {
        var port = LoopbackPort.Next();
        var host = $"zfs-gone-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync();
        await using var agent = new ChildProcess(RepoPaths.Agent,
        [
            "--server", server.IngestUrl.ToString(), "--host", host, "--probes", "pagefaults",
            "--ssh", "root@127.0.0.1", "--ssh-option", $"Port={port}", "--ssh-option", "ConnectTimeout=5",
        ]);

        var probe = await Poll.UntilAsync(
            async () => (await ProbeStatuses.ReadAsync(server, host)).SingleOrDefault(),
            p => p is { Restarts: >= 1 } && p.LastError?.Contains("Connection refused", StringComparison.Ordinal) == true,
            Patience).WaitAsync(Patience + Patience);

        Assert.True(probe is not null, "the host never appeared:\n" + agent.Output);
        Assert.True(probe.Restarts >= 1, $"restarts {probe.Restarts}:\n{agent.Output}");
        Assert.Contains($"port {port}: Connection refused", probe.LastError, StringComparison.Ordinal);
        Assert.Equal("ssh/dtrace/as_segat", probe.Variant);
    }
}
