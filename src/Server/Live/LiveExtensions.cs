using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Live;

public static class LiveExtensions
{
    /// <summary>The live feed: the writer's committed snapshots → broadcaster → SignalR groups per host, and a fleet summary a second.</summary>
    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var signalR = builder.Services.AddSignalR().AddJsonProtocol(json =>
            // A pagefaults row has no allocs/frees and a kmem row no faults: leave them out rather than send nulls.
            json.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        if (builder.Configuration.GetSection(LiveOptions.Section).Get<LiveOptions>()?.Redis is { Length: > 0 } redis)
        {
            // Several servers behind a load balancer: every hub message goes through Redis to the clients of all of them.
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("tracefleet"));
        }

        builder.Services.AddSingleton<LiveFeed>();
        builder.Services.AddSingleton<History.ICommittedSnapshotSink>(services => services.GetRequiredService<LiveFeed>());
        builder.Services.AddSingleton<FleetTally>();
        builder.Services.AddSingleton<LiveAudience>();
        builder.Services.AddHostedService<LiveBroadcaster>();
        builder.Services.AddHostedService<FleetBroadcaster>();
        return builder;
    }

    public static WebApplication MapLive(this WebApplication app)
    {
        var sendTimeout = TimeSpan.FromMilliseconds(app.Services.GetRequiredService<IOptions<LiveOptions>>().Value.SendTimeoutMs);
        app.MapHub<LiveHub>(LiveHub.Path, connection => connection.TransportSendTimeout = sendTimeout);
        return app;
    }
}
