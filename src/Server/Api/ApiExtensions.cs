namespace Tracefleet.Server.Api;

public static class ApiExtensions
{
    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<LatestBound>();
        return builder;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        // Any unexpected failure still answers with a problem body, never an HTML page or a bare 500.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHostsApi();
        app.MapHostEventsApi();
        app.MapProbesApi();
        // Supervisors probe health without credentials (README, "Before opening the web port"): it says only "Healthy" or not.
        app.MapHealthChecks("/healthz").AllowAnonymous();
        return app;
    }
}
