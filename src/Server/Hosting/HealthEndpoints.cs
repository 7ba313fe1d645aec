using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tracefleet.Server.Hosting;

/// <summary>
/// Probes for orchestrators: <c>/healthz/live</c> answers while the process serves requests (restart it when not);
/// <c>/healthz/ready</c> runs every check (database reachable, ingest running) and says which failed, as JSON.
/// The older <c>/healthz</c> runs every check too and stays as it was. All three answer without credentials when people must
/// sign in (<c>Auth:People:Mode</c>), on the web port only.
/// </summary>
public static class HealthEndpoints
{
    public static WebApplicationBuilder AddHealthEndpoints(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<IngestHealthCheck>("ingest");
        return builder;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        // Liveness runs no check: a database outage must not make an orchestrator restart a server that would not fix it.
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { ResponseWriter = WriteJsonAsync }).AllowAnonymous();
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description ?? e.Value.Exception?.Message }),
        }));
    }
}
