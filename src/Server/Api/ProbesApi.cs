using Microsoft.AspNetCore.Http.HttpResults;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/probes</c>: every probe the server knows, built in or learnt from an agent's descriptor.</summary>
public static class ProbesApi
{
    public static IEndpointRouteBuilder MapProbesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/probes", List).WithTags("Probes").WithName("ListProbes")
            .WithSummary("Every probe the server knows: its name, title, what its key names, and its value columns in wire order (the first ranks tops).");
        return app;
    }

    private static Ok<IReadOnlyList<ProbeDefinition>> List() => TypedResults.Ok(ProbeCatalogue.All);
}
