namespace Tracefleet.TestSupport;

/// <summary>One throwaway PostgreSQL cluster shared by a test class; each test gets a database of its own.</summary>
public sealed class PostgresFixture : Xunit.IAsyncLifetime
{
    public PostgresCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await PostgresCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
