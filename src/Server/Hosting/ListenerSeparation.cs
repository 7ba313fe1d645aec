using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Tracefleet.Server.Hosting;

/// <summary>Which listener accepted a connection.</summary>
public enum Listener
{
    /// <summary><c>--urls</c>: the UI, the HTTP API, the live hub, <c>/metrics</c>, <c>/healthz</c>, <c>/openapi</c>.</summary>
    Web,

    /// <summary><c>Ingest:Url</c>: the agents' gRPC stream and nothing else.</summary>
    Ingest,
}

/// <summary>
/// Every endpoint answers on its own listener only: an operator who opens the ingest port to the fleet publishes
/// nothing but the gRPC ingest service, and the web port does not take agents' streams. A request on the wrong listener
/// is answered 404 with a problem body naming the listener it belongs to, before routing, authentication or any query.
/// </summary>
public static class ListenerSeparation
{
    private const string ItemKey = "tracefleet.listener";

    /// <summary>The gRPC ingest service's path, <c>/tracefleet.v1.Ingest</c>; its methods are below it.</summary>
    public static PathString IngestServicePath { get; } = "/" + global::Tracefleet.Contract.V1.Ingest.Descriptor.FullName;

    /// <summary>Marks each connection this listener accepts, for <see cref="ListenerOf"/>.</summary>
    public static void Mark(ListenOptions listen, Listener listener) =>
        listen.Use(next => connection =>
        {
            Mark(connection.Items, listener);
            return next(connection);
        });

    /// <summary>
    /// Marks a connection, by its items (<see cref="IConnectionItemsFeature"/>), as accepted by <paramref name="listener"/>.
    /// Kestrel's listeners mark every connection they accept; an in-memory test server, which has no listeners, marks the
    /// requests of the client that stands for an agent.
    /// </summary>
    public static void Mark(IDictionary<object, object?> connectionItems, Listener listener)
    {
        ArgumentNullException.ThrowIfNull(connectionItems);
        connectionItems[ItemKey] = listener;
    }

    /// <summary>The listener the request's connection came in on; <see cref="Listener.Web"/> for a connection no listener marked.</summary>
    public static Listener ListenerOf(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var listener) == true && listener is Listener marked
            ? marked
            : Listener.Web;

    public static WebApplication UseListenerSeparation(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // Only a gRPC call may reach the ingest service: any other request under its path would fall through to the
            // UI's start page, which the ingest port must not serve.
            var ingestCall = context.Request.Path.StartsWithSegments(IngestServicePath, StringComparison.Ordinal)
                && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
            var ingestPath = ingestCall || context.Request.Path.StartsWithSegments(IngestServicePath, StringComparison.Ordinal);
            return (ListenerOf(context), ingestCall, ingestPath) switch
            {
                (Listener.Ingest, false, _) => NotHereAsync(context, "This is the agents' ingest port: it serves only the gRPC ingest service. The UI, the HTTP API, /metrics and /healthz are on the web port (--urls)."),
                (Listener.Web, _, true) => NotHereAsync(context, "Agents connect to the ingest port (Ingest:Url), not to the web port."),
                _ => next(context),
            };
        });
        return app;
    }

    private static Task NotHereAsync(HttpContext context, string detail)
    {
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // A HEAD answer has no body; writing one makes HTTP/2 reset the stream instead of answering.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return Results.Problem(title: "Not found on this port", detail: detail, statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
    }
}
