using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Ingest;

public static partial class IngestExtensions
{
    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddGrpc();
        builder.Services.AddOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>()
            .Configure<IOptions<LimitsOptions>>((grpc, limits) =>
            {
                // Larger messages are refused by gRPC itself with RESOURCE_EXHAUSTED before they are buffered.
                grpc.MaxReceiveMessageSize = limits.Value.MaxMessageBytes;
                grpc.EnableDetailedErrors = false;
            });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AgentSessions>();
        builder.Services.AddSingleton<HostDirectory>();
        builder.Services.AddSingleton<AgentAuthenticator>();
        builder.Services.AddSingleton<HostKeyBudget>();
        builder.Services.AddSingleton<SnapshotAdmission>();
        builder.Services.AddSingleton<IngestBudget>();
        builder.Services.AddSingleton<ProbeStatusRegistry>();
        builder.Services.AddSingleton<ClockOffsets>();
        builder.Services.AddSingleton<SnapshotRefusals>();
        return builder;
    }

    public static WebApplication MapIngest(this WebApplication app)
    {
        app.MapGrpcService<IngestService>();
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tracefleet.Server.Ingest");
        if (auth.AllowAnonymousAgents)
        {
            LogAnonymous(logger);
        }
        else if (auth.AgentTokens.Count == 0)
        {
            LogNoTokens(logger);
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:AllowAnonymousAgents is on: ANY agent can write data for ANY host. Use it for local trials only.")]
    private static partial void LogAnonymous(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No agent tokens are configured (Auth:AgentTokens): every agent will be refused. Create one with `tracefleet-server token create HOST`.")]
    private static partial void LogNoTokens(ILogger logger);
}
