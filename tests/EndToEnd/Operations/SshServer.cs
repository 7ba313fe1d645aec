using CliWrap;
using CliWrap.Buffered;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>
/// Debian's real sshd as its own process on a loopback port: its own config, host key and authorized key in a
/// temp folder, sessions' PATH led by a folder the test fills with fake tracers. The system's sshd service is never used.
/// </summary>
public sealed class SshServer : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private SshServer(string dir, int port, ChildProcess process)
    {
        Dir = dir;
        Port = port;
        _process = process;
    }

    public string Dir { get; }

    public int Port { get; }

    /// <summary>Put executables here: they come first on the remote PATH.</summary>
    public string RemoteBin => Path.Combine(Dir, "bin");

    public static string User => Environment.UserName;

    public string Output => _process.Output;

    /// <summary>The agent's ssh options for this server: port, the throwaway key, a known_hosts file of its own.</summary>
    public IEnumerable<string> AgentArguments =>
    [
        "--ssh", $"{User}@127.0.0.1",
        "--ssh-option", $"Port={Port}",
        "--ssh-option", $"IdentityFile={Path.Combine(Dir, "client_key")}",
        "--ssh-option", "IdentitiesOnly=yes",
        "--ssh-option", $"UserKnownHostsFile={Path.Combine(Dir, "known_hosts")}",
        "--ssh-option", "StrictHostKeyChecking=accept-new",
    ];

    public static async Task<SshServer> StartAsync(TimeSpan patience)
    {
        var dir = Directory.CreateTempSubdirectory("tracefleet-sshd-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "bin"));
        await KeygenAsync(Path.Combine(dir, "host_key"), patience);
        await KeygenAsync(Path.Combine(dir, "client_key"), patience);
        File.Copy(Path.Combine(dir, "client_key.pub"), Path.Combine(dir, "authorized_keys"));
        // sshd refuses to start without its privilege separation folder, which only the service's unit creates.
        Directory.CreateDirectory("/run/sshd");

        var port = LoopbackPort.Next();
        var config = Path.Combine(dir, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            ListenAddress 127.0.0.1
            Port {port}
            HostKey {dir}/host_key
            PidFile {dir}/sshd.pid
            AuthorizedKeysFile {dir}/authorized_keys
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            SetEnv PATH={dir}/bin:/usr/local/bin:/usr/bin:/bin
            """);
        var process = new ChildProcess("/usr/sbin/sshd", ["-D", "-e", "-f", config]);
        var server = new SshServer(dir, port, process);
        var listening = await Poll.TrueAsync(() => !process.HasExited && LoopbackPort.Accepts(port), patience);
        return listening ? server : throw new InvalidOperationException($"sshd did not listen on {port}:\n{process.Output}");
    }

    public void AddExecutable(string name, string text)
    {
        var path = Path.Combine(RemoteBin, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }


    private static async Task KeygenAsync(string path, TimeSpan patience)
    {
        using var cancel = new CancellationTokenSource(patience);
        var result = await Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ed25519", "-N", "", "-f", path])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancel.Token);
        Assert.True(result.ExitCode == 0, $"ssh-keygen: {result.StandardError}");
    }
}
