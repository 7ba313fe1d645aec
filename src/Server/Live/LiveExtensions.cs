using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Live;

public static class LiveExtensions
{
    /// <summary>
    /// The live feed: the writer's committed snapshots → broadcaster → each hub connection's own queue, for the hosts it
    /// joined, and a fleet summary a second; with <c>Live:Redis</c>, snapshots also cross to and from the other servers.
    /// </summary>
    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSignalR().AddJsonProtocol(json =>
            // A host that never reported has no lastSnapshot and a probe with no rows no busiest key: leave them out rather than send nulls.
            json.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        builder.Services.AddSingleton<LiveFeed>();
        builder.Services.AddSingleton<History.ICommittedSnapshotSink>(services => services.GetRequiredService<LiveFeed>());
        builder.Services.AddSingleton<FleetTally>();
        builder.Services.AddSingleton<LiveAudience>();
        builder.Services.AddSingleton<LiveOrigins>();
        if (builder.Configuration.GetSection(LiveOptions.Section).Get<LiveOptions>()?.Redis is { Length: > 0 })
        {
            builder.Services.AddSingleton<LiveBackplane>();
            builder.Services.AddHostedService(services => services.GetRequiredService<LiveBackplane>());
        }

        builder.Services.AddHostedService<LiveBroadcaster>();
        builder.Services.AddHostedService<FleetBroadcaster>();
        return builder;
    }

    public static WebApplication MapLive(this WebApplication app)
    {
        var origins = app.Services.GetRequiredService<LiveOrigins>();
        app.Use(origins.CheckAsync);
        var sendTimeout = TimeSpan.FromMilliseconds(app.Services.GetRequiredService<IOptions<LiveOptions>>().Value.SendTimeoutMs);
        app.MapHub<LiveHub>(LiveHub.Path, connection => connection.TransportSendTimeout = sendTimeout);
        return app;
    }
}
