using Tracefleet.Server.Alerts.Preview;
using Tracefleet.Server.Api;

namespace Tracefleet.Server.Alerts;

public static class AlertsExtensions
{
    /// <summary>
    /// Alerting: rules (store and rules file), evaluation of every committed snapshot, the recorder of transitions and
    /// kept states, the clock's sweep, silences and previews. The receivers (<see cref="IAlertNotifier"/>) come from
    /// <c>AddAlertNotifications</c>.
    /// </summary>
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Silences>();
        builder.Services.AddSingleton<LiveAlerts>();
        builder.Services.AddSingleton<History.ICommittedSnapshotSink>(services => services.GetRequiredService<LiveAlerts>());
        builder.Services.AddSingleton<AlertRuleSet>();
        builder.Services.AddScoped<RulePreview>();
        builder.Services.AddHostedService<AlertRecorder>();
        builder.Services.AddHostedService<AlertSweeper>();
        return builder;
    }

    /// <summary>Loads rules, silences and the alerts kept before a restart; after the store is migrated, before ingest starts.</summary>
    public static Task LoadAlertsAsync(this WebApplication app) =>
        app.Services.GetRequiredService<AlertRuleSet>().LoadAsync(app.Lifetime.ApplicationStopping);

    public static WebApplication MapAlerts(this WebApplication app)
    {
        app.MapRulesApi();
        app.MapAlertsApi();
        app.MapSilencesApi();
        if (app.Services.GetService<Metrics.ServerMetrics>() is { } metrics)
        {
            _ = new AlertMetrics(metrics, app.Services.GetRequiredService<LiveAlerts>(), app.Services.GetRequiredService<Events.HostEvents>());
        }

        return app;
    }
}
