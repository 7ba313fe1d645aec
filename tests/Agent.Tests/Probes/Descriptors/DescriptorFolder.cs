using System.Security.Cryptography;

namespace Tracefleet.Agent.Tests.Probes.Descriptors;

/// <summary>A temporary folder holding one probe descriptor and its script, written as a test needs them; deleted after.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class DescriptorFolder : IDisposable
{
    public const string Script = """
        interval:s:1 { printf("%8s %s\n", "CALLS", "PROCESS"); print(@calls); clear(@calls); }
        tracepoint:raw_syscalls:sys_enter { @calls[comm] = count(); }
        """;

    public DescriptorFolder()
    {
        Path = Directory.CreateTempSubdirectory("tracefleet-probes-").FullName;
    }

    public string Path { get; }

    public string DescriptorPath(string name = "calls") => System.IO.Path.Combine(Path, name + ".probe.yaml");

    public string ScriptPath => System.IO.Path.Combine(Path, "calls.bt");

    /// <summary>
    /// Writes the script and a descriptor of it; <paramref name="edit"/> changes the descriptor's text first. The key's
    /// noun and header are the probe's name: the catalogue and the header parser are process-wide, and two probes of
    /// the tests must not claim one noun or one header.
    /// </summary>
    public string Write(Func<string, string>? edit = null, string script = Script, string name = "calls")
    {
        File.WriteAllText(ScriptPath, script);
        var descriptor = $"""
            name: {name}
            title: system calls by process
            key:
              meaning: process name
              noun: {name}
            columns:
              - name: calls
                unit: calls
                meaning: System calls
            variants:
              - name: bpftrace/raw_syscalls
                tracer: bpftrace
                script: calls.bt
                sha256: {Sha256(script)}
                table:
                  header: CALLS {name.ToUpperInvariant()}
                  layout: plain
                cannot_see: Nothing of note.
            """;
        var path = DescriptorPath(name);
        File.WriteAllText(path, edit is null ? descriptor : edit(descriptor));
        // What a careful operator's files are: writable by their owner alone.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(ScriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
