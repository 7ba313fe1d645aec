using Microsoft.AspNetCore.Http.HttpResults;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary><c>GET /api/alerts/deliveries</c>: the delivery log, newest first.</summary>
public static class AlertDeliveriesApi
{
    public const string Path = "/api/alerts/deliveries";

    public static IEndpointRouteBuilder MapAlertDeliveriesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, List).WithTags("Alerts").WithName("ListAlertDeliveries")
            .WithSummary($"The last {DeliveryLog.Capacity} attempts to deliver alert notices to webhooks and Alertmanager, newest first, with each one's outcome (delivered, retrying, failed, dropped).");
        return app;
    }

    private static Ok<List<AlertDelivery>> List(DeliveryLog log) => TypedResults.Ok(log.Entries().Reverse().ToList());
}
