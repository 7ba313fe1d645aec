namespace Tracefleet.Server.Api;

/// <summary>The Blazor WebAssembly UI (src/Web), the API it reads, and the OpenAPI document describing the HTTP API.</summary>
public static class UiExtensions
{
    public static WebApplicationBuilder AddUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options.AddSchemaTransformer(ColumnSchemas.DescribeAsync));
        // Run from a build (not a publish), the UI's files live in src/Web and the packages, listed by the
        // static web assets manifest beside the binary; ASP.NET reads it only in Development unless told to.
        // A published server has no such manifest and serves its wwwroot/.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    public static WebApplication MapUi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapFleetApi();
        app.MapSeriesApi();
        app.MapCompareApi();
        app.MapChangesApi();
        app.MapLatestApi();

        // The WebAssembly app's files (_framework/, _content/ of the component libraries, wwwroot/), as
        // endpoints with compression and caching headers; no UseBlazorFrameworkFiles, which would run after
        // routing here and find every request already matched.
        app.MapStaticAssets();
        // Deep links (/host/web-01?probe=kmem) load the app, which routes in the browser; API, hub and
        // OpenAPI paths that match nothing stay 404 problems instead of getting the page.
        app.MapFallbackToFile("/", "index.html");
        app.MapFallbackToFile("{*path:regex(^(?!api/|hubs/|openapi/|healthz).*$)}", "index.html");
        return app;
    }
}
