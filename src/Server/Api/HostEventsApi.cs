using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Queries;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/hosts/{name}/events</c>: what happened to a host that may explain a change in its data.</summary>
public static class HostEventsApi
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 5000;

    public static IEndpointRouteBuilder MapHostEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/hosts").WithTags("Hosts")
            .MapGet("/{name}/events", ListAsync).WithName("HostEvents").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A host's events in a range (ISO-8601 from/to, default all), newest first: its agent's connections and disconnections, its probes' changes of state; limit 1 to 5000 (default 200).");
        return app;
    }

    private static async Task<Results<Ok<List<HostEvent>>, ProblemHttpResult>> ListAsync(
        string name, string? from, string? to, string? limit, HistoryQueries queries, TracefleetDb db, CancellationToken cancellationToken)
    {
        if (ApiProblems.BadHostName(name) is { } badName)
        {
            return badName;
        }

        if (!TimeRange.TryParse(from, to, out var range, out var problem)
            || !UiQueryParameters.TryLimit(limit, DefaultLimit, out var count, out problem, MaxLimit))
        {
            return ApiProblems.BadRequest(problem!);
        }

        if (await queries.HostIdAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            return ApiProblems.UnknownHost(name);
        }

        var records = await db.HostEvents.AsNoTracking()
            .Where(e => e.Host == name && e.AtUnixMs >= range.FromUnixMs && e.AtUnixMs <= range.ToUnixMs)
            .OrderByDescending(e => e.AtUnixMs).ThenByDescending(e => e.Id).Take(count)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(records
            .Select(e => new HostEvent(e.Kind, DateTimeOffset.FromUnixTimeMilliseconds(e.AtUnixMs), e.Probe.Length > 0 ? e.Probe : null, e.Detail))
            .ToList());
    }
}

