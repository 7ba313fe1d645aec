namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>Where the built binaries and fixtures are, found from the test's own output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the binaries under test are built in the same configuration as the tests.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string Agent => Binary("Agent", "tracefleet-agent");

    public static string Server => Binary("Server", "tracefleet-server");

    public static string Capture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "captures", name);

    private static string Binary(string project, string name)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first: {path} is missing", path);
    }

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
