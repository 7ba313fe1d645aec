namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>One real server shared by a test class; tests use host names of their own.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
