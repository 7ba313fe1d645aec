using Grpc.Net.Client;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Tracefleet.Server.Hosting;

namespace Tracefleet.Server.InProcess.Infrastructure;

/// <summary>
/// The whole server in memory: its own <c>Program</c> (configuration, DI, migrations, middleware, hosted services) over
/// ASP.NET Core's TestServer instead of Kestrel, on a SQLite file of its own, with agent tokens for
/// <see cref="AgentHosts"/> (each host's token is <see cref="TokenOf"/>). Clients reach it through the test server's
/// handler: HTTP and the live hub as on the web listener, gRPC ingest as on the ingest listener.
/// </summary>
/// <remarks>
/// Kestrel is not started here, so no connection is marked by a listener, and the server takes every unmarked connection
/// for the web listener (<see cref="ListenerSeparation"/>). The ingest handler marks each of its requests as the ingest
/// listener does its connections, through the same connection items; nothing in the server's configuration can switch
/// the separation off.
/// </remarks>
public class InProcessServer : WebApplicationFactory<Program>
{
    /// <summary>Hosts an agent token is configured for.</summary>
    public static readonly IReadOnlyList<string> AgentHosts = ["web-01", "web-02", "db-01", "hub-01", "hub-02", "hub-03", "api-01", "api-02"];

    private readonly string _dataDir;
    private readonly bool _ownsDataDir;

    /// <summary>A server on a new SQLite file of its own, deleted with it.</summary>
    public InProcessServer()
        : this(Directory.CreateTempSubdirectory("tracefleet-inprocess-").FullName, ownsDataDir: true)
    {
    }

    private InProcessServer(string dataDir, bool ownsDataDir) => (_dataDir, _ownsDataDir) = (dataDir, ownsDataDir);

    /// <summary>The SQLite file the server stores in.</summary>
    public string DatabasePath => Path.Combine(_dataDir, "tracefleet.db");

    /// <summary>
    /// A server on the SQLite file <c>tracefleet.db</c> in <paramref name="dataDir"/>, which outlives it: a second server
    /// over the same file is the first one restarted.
    /// </summary>
    public static InProcessServer Over(string dataDir) => new(dataDir, ownsDataDir: false);

    public static string TokenOf(string host) => $"token-of-{host}";

    /// <summary>An HTTP client on the web listener.</summary>
    public HttpClient Web()
    {
        var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }

    /// <summary>A gRPC channel to the ingest listener.</summary>
    public GrpcChannel Ingest() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler(OnIngestListener) });

    /// <summary>A plain HTTP client on the ingest listener.</summary>
    public HttpClient IngestHttp() => new(Server.CreateHandler(OnIngestListener)) { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A live hub connection (not started) over long polling, the transport the test server carries as plain requests.</summary>
    public HubConnection Hub() => new HubConnectionBuilder()
        .WithUrl(new Uri(Server.BaseAddress, "/hubs/live"), options =>
        {
            options.Transports = HttpTransportType.LongPolling;
            options.HttpMessageHandlerFactory = _ => Server.CreateHandler();
        })
        .Build();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // As the server runs in production (the factory's default is Development).
        builder.UseEnvironment(Environments.Production);
        builder.UseSetting("Storage:Path", DatabasePath);
        foreach (var host in AgentHosts)
        {
            builder.UseSetting($"Auth:AgentTokens:{host}", TokenOf(host));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDataDir)
        {
            Directory.Delete(_dataDir, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private static void OnIngestListener(HttpContext context)
    {
        var connection = context.Features.Get<IConnectionItemsFeature>();
        if (connection is null)
        {
            connection = new ConnectionItems();
            context.Features.Set(connection);
        }

        ListenerSeparation.Mark(connection.Items, Listener.Ingest);
    }

    private sealed class ConnectionItems : IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
    }
}
