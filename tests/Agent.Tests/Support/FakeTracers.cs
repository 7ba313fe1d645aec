namespace Tracefleet.Agent.Tests.Support;

/// <summary>
/// Fake <c>stap</c>/<c>dtrace</c> executables: shell scripts in a temp folder that print a capture and exit.
/// All are written before any test of the collection starts a process: executing a file that another
/// thread's fork may still hold open for writing fails with ETXTBSY.
/// </summary>
public sealed class FakeTracers : IDisposable
{
    public FakeTracers()
    {
        Directory.CreateDirectory(Bin);
        Stap = Script(Path.Combine(Bin, "stap"), $"cat {Quote(Fixtures.Capture("linux-stap-pfstat.txt"))}");
        Dtrace = Script(Path.Combine(Bin, "dtrace"), $"cat {Quote(Fixtures.Capture("solaris-dtrace-kmemstat.txt"))}");
        SyntheticStap = Script(
            Path.Combine(Root, "synthetic-stap"),
            $"cat {Quote(Fixtures.Capture("synthetic-stap-pfstat.txt"))}");
        Failing = Script(
            Path.Combine(Root, "failing-tracer"),
            """
            echo 'ERROR: Unknown error -1: couldn'"'"'t set RLIMIT_MEMLOCK for bpftrace. If your program is not loading, you can try "ulimit -l 8192" to fix the problem' >&2
            printf '  FAULTS VMFILE\n       5 libc.so.6\n'
            echo 'WARNING: probe point skipped' >&2
            echo 'semantic error: no match for probe point vm.pagefault' >&2
            exit 1
            """);
        Quiet = Script(
            Path.Combine(Root, "quiet-tracer"),
            """
            printf '  ALLOCS    FREES SLAB\n       3        2 dentry\n       1        0 filp\n'
            exec sleep 600
            """);
        KilledMidWrite = Script(
            Path.Combine(Root, "killed-mid-write"),
            """
            printf '  FAULTS VNODE\r\n       5 libc.so.6\r\n    1187 libstdc++.so'
            kill -9 $$
            """);
        Busy = Script(
            Path.Combine(Root, "busy-tracer"),
            """
            printf '  ALLOCS    FREES SLAB\n       3        2 dentry\n'
            while :; do :; done
            """);
        NotExecutable = Path.Combine(Root, "not-executable");
        File.WriteAllText(NotExecutable, "#!/bin/sh\necho never\n");
        SetMode(NotExecutable, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("tracefleet-fake-tracers-").FullName;

    /// <summary>A folder holding only <c>stap</c> and <c>dtrace</c>, like a PATH entry.</summary>
    public string Bin => Path.Combine(Root, "bin");

    /// <summary>Prints linux-stap-pfstat.txt and exits 0.</summary>
    public string Stap { get; }

    /// <summary>Prints solaris-dtrace-kmemstat.txt and exits 0.</summary>
    public string Dtrace { get; }

    /// <summary>Prints synthetic-stap-pfstat.txt (hostile names, raw bytes) and exits 0.</summary>
    public string SyntheticStap { get; }

    /// <summary>Prints one table, a harmless RLIMIT_MEMLOCK "ERROR:", a warning and a real error; exits 1.</summary>
    public string Failing { get; }

    /// <summary>Prints one kmem table (dentry 3/2, filp 1/0), then stays alive without a word.</summary>
    public string Quiet { get; }

    /// <summary>Prints a table through a terminal's CR-LF (libc.so.6 5), then half a row, and dies by SIGKILL.</summary>
    public string KilledMidWrite { get; }

    /// <summary>Prints one kmem table, then keeps a core busy until it is stopped: a tracer over any budget.</summary>
    public string Busy { get; }

    public string NotExecutable { get; }

    public string Missing => Path.Combine(Root, "no-such-tracer");

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static string Script(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        SetMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";
}

[CollectionDefinition(Name)]
public sealed class FakeTracersDefinition : ICollectionFixture<FakeTracers>
{
    public const string Name = "fake tracers";
}
