namespace Tracefleet.Agent.Probes;

/// <summary>What this host offers for tracing, read once at start.</summary>
public sealed record HostFacts(string? Bpftrace, string? Stap, string? Dtrace, bool IsRoot, bool TracefsMounted)
{
    public static HostFacts Read() => new(
        Executables.Find("bpftrace"),
        Executables.Find("stap"),
        Executables.Find("dtrace"),
        OperatingSystem.IsWindows() ? false : Environment.UserName == "root",
        Directory.Exists("/sys/kernel/tracing/events") || Directory.Exists("/sys/kernel/debug/tracing/events"));
}

public static class Executables
{
    /// <summary>The full path of <paramref name="name"/> on PATH, as a shell would find it; null when absent.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
