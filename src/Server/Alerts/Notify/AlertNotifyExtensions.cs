using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Metrics;

namespace Tracefleet.Server.Alerts.Notify;

public static class AlertNotifyExtensions
{
    /// <summary>
    /// Alert notices to webhooks and an Alertmanager (<see cref="AlertNotifyOptions"/>, section <c>Alerts</c>): the
    /// <see cref="IAlertNotifier"/> the evaluator calls, its queue and the service that delivers it.
    /// </summary>
    public static WebApplicationBuilder AddAlertNotifications(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AlertNotifyOptions>().BindConfiguration(AlertNotifyOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AlertNotifyOptions>, AlertNotifyOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DeliveryLog>();
        builder.Services.AddSingleton<AlertNotifier>();
        builder.Services.AddSingleton<IAlertNotifier>(services => services.GetRequiredService<AlertNotifier>());
        builder.Services.AddSingleton<AlertReceivers>();
        builder.Services.AddHostedService<AlertDispatcher>();
        return builder;
    }

    /// <summary><c>GET /api/alerts/deliveries</c> (behind the same people authentication as the rest of the API) and the series on <c>/metrics</c>.</summary>
    public static WebApplication MapAlertDeliveries(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapAlertDeliveriesApi();
        if (app.Services.GetService<ServerMetrics>() is { } metrics)
        {
            _ = new AlertNotifyMetrics(
                metrics, app.Services.GetRequiredService<AlertNotifier>(), app.Services.GetRequiredService<AlertReceivers>(), app.Services.GetRequiredService<DeliveryLog>());
        }

        return app;
    }
}
