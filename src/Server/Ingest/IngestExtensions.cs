using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Ingest;

public static partial class IngestExtensions
{
    /// <summary>The authorization policy of the ingest service: an agent authenticated by the <c>Agent</c> scheme.</summary>
    public const string AgentPolicy = "Agent";

    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        // Agents are authenticated from the call's headers before the service reads a byte (UseAuthentication and
        // UseAuthorization are added by WebApplication, after routing, because these services are registered).
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AgentAuthenticationHandler>(AgentAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AgentPolicy, policy => policy.AddAuthenticationSchemes(AgentAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
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
        builder.Services.AddSingleton<LearntProbes>();
        builder.Services.AddSingleton<AgentAuthenticator>();
        builder.Services.AddSingleton<RefusalLogPace>();
        builder.Services.AddSingleton<HostKeyBudget>();
        builder.Services.AddSingleton<SnapshotAdmission>();
        builder.Services.AddSingleton<IngestBudget>();
        builder.Services.AddSingleton<IngestSession>();
        builder.Services.AddSingleton<ProbeStatusRegistry>();
        builder.Services.AddSingleton<Events.HostEvents>();
        builder.Services.AddHostedService<Events.HostEventRecorder>();
        builder.Services.AddSingleton<ClockOffsets>();
        builder.Services.AddSingleton<SnapshotRefusals>();
        builder.Services.AddSingleton<IngestConnectionLimit>();
        builder.Services.AddHostedService<OfflineHostSweeper>();
        return builder;
    }

    public static WebApplication MapIngest(this WebApplication app)
    {
        app.MapGrpcService<IngestService>().RequireAuthorization(AgentPolicy);
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tracefleet.Server.Ingest");
        var index = app.Services.GetRequiredService<AgentAuthenticator>().Index;
        foreach (var host in index.InvalidHosts)
        {
            LogInvalidHost(logger, host);
        }

        if (auth.AllowAnonymousAgents)
        {
            LogAnonymous(logger);
        }
        else if (index.IsEmpty)
        {
            LogNoTokens(logger);
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:AllowAnonymousAgents is on: ANY agent can write data for ANY host. Use it for local trials only.")]
    private static partial void LogAnonymous(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:AgentTokens names host \"{Host}\", which is no host name (letters, digits, '-', '_', '.'): its token admits nobody")]
    private static partial void LogInvalidHost(ILogger logger, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No agent tokens are configured (Auth:AgentTokens): every agent will be refused. Create one with `tracefleet-server token create HOST`.")]
    private static partial void LogNoTokens(ILogger logger);
}
