using System.Diagnostics;

namespace Tracefleet.TestSupport;

/// <summary>
/// Debian's PostgreSQL (<c>./scripts/test.sh</c> installs it), as a throwaway cluster of the test's own: a
/// temporary data folder, a free loopback port, trust authentication for the one role, torn down after.
/// The server refuses to run as root, so as root it runs as Debian's <c>postgres</c> user.
/// Durability settings are off: these tests are about the store's SQL, not PostgreSQL's fsync.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string Role = "tracefleet";
    private readonly string _dataDir;
    private readonly Process _server;

    private PostgresCluster(string dataDir, int port, Process server) => (_dataDir, Port, _server) = (dataDir, port, server);

    public int Port { get; }

    /// <summary>A connection string to <paramref name="database"/> (the store creates it when missing).</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username={Role};Database={database};Pooling=true";

    /// <summary>Runs <paramref name="sql"/> in <paramref name="database"/> with Debian's psql, stopping at the first error.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        var run = await RunAsync(Path.Combine(BinDirectory(), "psql"),
            ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", Role, "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql]);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql failed ({run.ExitCode}):\n{run.Output}");
        }
    }

    /// <summary>A database name no other test uses.</summary>
    public static string NewDatabaseName() => $"tracefleet_{Guid.NewGuid():N}";

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = BinDirectory();
        var asRoot = Environment.UserName == "root";
        string dataDir;
        if (asRoot)
        {
            // Under /tmp whatever TMPDIR says: the postgres user must be able to reach it.
            dataDir = Directory.CreateDirectory(Path.Combine("/tmp", $"tracefleet-pg-{Guid.NewGuid():N}")).FullName;
            await RunAsync("chown", ["postgres:postgres", dataDir]);
        }
        else
        {
            dataDir = Directory.CreateTempSubdirectory("tracefleet-pg-").FullName;
        }

        var initdb = await RunAsync(Tool(bin, "initdb", asRoot), [.. Prefix(bin, "initdb", asRoot), "-D", dataDir, "-U", Role, "-A", "trust", "-E", "UTF8", "--no-sync"]);
        if (initdb.ExitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed ({initdb.ExitCode}):\n{initdb.Output}");
        }

        var port = LoopbackPort.Next();
        var start = new ProcessStartInfo(Tool(bin, "postgres", asRoot))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[.. Prefix(bin, "postgres", asRoot), "-D", dataDir, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-k", dataDir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
        {
            start.ArgumentList.Add(argument);
        }

        var server = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        server.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var cluster = new PostgresCluster(dataDir, port, server);
        var starting = Stopwatch.StartNew();
        while (starting.Elapsed < TimeSpan.FromSeconds(60) && !server.HasExited)
        {
            var ready = await RunAsync(Path.Combine(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", Role]);
            if (ready.ExitCode == 0)
            {
                return cluster;
            }

            await Task.Delay(200);
        }

        await cluster.DisposeAsync();
        throw new InvalidOperationException("PostgreSQL did not start:\n" + string.Join('\n', log));
    }

    /// <summary>The newest installed major version's programs (Debian keeps them outside PATH).</summary>
    private static string BinDirectory()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "initdb"))).ToList()
            : [];
        if (versions.Count == 0)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): ./scripts/test.sh installs Debian's postgresql");
        }

        return Path.Combine(versions.OrderByDescending(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).First(), "bin");
    }

    private static string Tool(string bin, string name, bool asRoot) => asRoot ? "runuser" : Path.Combine(bin, name);

    private static string[] Prefix(string bin, string name, bool asRoot) => asRoot ? ["-u", "postgres", "--", Path.Combine(bin, name)] : [];

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary folder is the OS's to clean.
        }
    }
}
