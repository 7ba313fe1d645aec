namespace Tracefleet.Agent.Tests.Support;

/// <summary>Paths of the fixtures the test build copies beside the test assembly.</summary>
internal static class Fixtures
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures");

    /// <summary>The built-in probes' descriptors and scripts, as the agent ships them beside itself.</summary>
    public static string ProbeScriptsDir { get; } = Path.Combine(AppContext.BaseDirectory, "probes");

    public static string Capture(string name) => Path.Combine(Root, "captures", name);

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    /// <summary>The real captures: stap/dtrace (tests/fixtures/captures) and bpftrace (scripts/probes/bpftrace/*_example.txt).</summary>
    public static IEnumerable<string> RealCaptures() =>
        Directory.EnumerateFiles(Path.Combine(Root, "captures"), "linux-*.txt")
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "captures"), "solaris-*.txt"))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "examples"), "*_example.txt"))
            .Order(StringComparer.Ordinal);
}
