namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>Where the built binaries and fixtures are, found from the test's own output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the binaries under test are built in the same configuration as the tests.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>
    /// The agent under test: the NativeAOT file scripts/test.sh publishes (<see cref="PublishedAgentVariable"/>), as
    /// it ships; else the build's.
    /// </summary>
    public static string Agent => PublishedAgent ?? Binary("Agent", "tracefleet-agent");

    /// <summary>Names the NativeAOT agent published for the tests, when one was.</summary>
    public const string PublishedAgentVariable = "TRACEFLEET_TEST_AGENT";

    /// <summary>The NativeAOT agent published for the tests, or null when none was.</summary>
    public static string? PublishedAgent =>
        Environment.GetEnvironmentVariable(PublishedAgentVariable) is { Length: > 0 } path ? Existing(path, "the NativeAOT agent (scripts/test.sh publishes it)") : null;

    public static string Server => Binary("Server", "tracefleet-server");

    /// <summary>The tests' own OpenID Connect provider (tests/IdentityProvider).</summary>
    public static string IdentityProvider => Existing(Path.Combine(Root, "tests", "IdentityProvider", "bin", Configuration, "net10.0", "tracefleet-test-idp"), "IdentityProvider");

    public static string Capture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "captures", name);

    private static string Binary(string project, string name) => Existing(Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", name), project);

    private static string Existing(string path, string project) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first: {path} is missing", path);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
