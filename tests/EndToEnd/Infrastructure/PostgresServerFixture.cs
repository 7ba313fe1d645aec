using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>One real server shared by a test class, storing into a throwaway PostgreSQL cluster of its own.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private PostgresCluster _cluster = null!;

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync();
        Server = await ServerProcess.StartAsync(Settings(_cluster));
    }

    /// <summary>The settings that point a server at a new database of <paramref name="cluster"/>.</summary>
    public static Dictionary<string, string> Settings(PostgresCluster cluster) => new()
    {
        ["Storage:Provider"] = "postgres",
        ["Storage:ConnectionString"] = cluster.ConnectionString(PostgresCluster.NewDatabaseName()),
    };

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _cluster.DisposeAsync();
    }
}
