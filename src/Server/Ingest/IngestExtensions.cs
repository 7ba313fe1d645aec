namespace Tracefleet.Server.Ingest;

public static class IngestExtensions
{
    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = 16 * 1024 * 1024;
            grpc.EnableDetailedErrors = false;
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AgentSessions>();
        builder.Services.AddSingleton<HostDirectory>();
        return builder;
    }

    public static WebApplication MapIngest(this WebApplication app)
    {
        app.MapGrpcService<IngestService>();
        return app;
    }
}
