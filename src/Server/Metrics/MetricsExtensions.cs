using Grpc.AspNetCore.Server;
using Prometheus;
using Tracefleet.Server.History;

namespace Tracefleet.Server.Metrics;

public static class MetricsExtensions
{
    /// <summary>Prometheus metrics at <c>GET /metrics</c>, fed by the writer's commits, an ingest interceptor and a hub filter.</summary>
    public static WebApplicationBuilder AddServerMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<KeyTally>();
        builder.Services.AddSingleton<ICommittedSnapshotSink>(services => services.GetRequiredService<KeyTally>());
        builder.Services.AddSingleton<RefusalCounter>();
        builder.Services.Configure<GrpcServiceOptions>(grpc => grpc.Interceptors.Add<RefusalCounter>());
        builder.Services.AddSingleton<ServerMetrics>();
        return builder;
    }

    public static WebApplication MapServerMetrics(this WebApplication app)
    {
        app.MapMetrics("/metrics", app.Services.GetRequiredService<ServerMetrics>().Registry);
        return app;
    }
}
