using Microsoft.AspNetCore.Http.HttpResults;
using Tracefleet.Server.History.Queries;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/hosts/{name}/latest</c>: the table a host's probe printed last, for a page's first paint before live snapshots arrive.</summary>
public static class LatestApi
{
    public static IEndpointRouteBuilder MapLatestApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/hosts/{name}/latest", GetAsync).WithTags("Hosts").WithName("LatestSnapshot").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A host's latest stored snapshot of one probe, rows sorted by the first value, descending; limit=0 (the default) for all rows.");
        return app;
    }

    private static async Task<Results<Ok<LatestSnapshot>, ProblemHttpResult>> GetAsync(string name, string? probe, string? limit, HistoryQueries queries, LatestBound bound, CancellationToken cancellationToken)
    {
        if (ApiProblems.BadHostName(name) is { } badName)
        {
            return badName;
        }

        // One snapshot is already bounded by ingest (Limits:MaxKeysPerSnapshot and "(other)"), so 0 stays "all of its rows".
        var count = 0;
        if (!UiQueryParameters.TryProbe(probe, out var kind, out var problem)
            || (limit is not (null or "0") && !UiQueryParameters.TryLimit(limit, 0, out count, out problem)))
        {
            return ApiProblems.BadRequest(problem!);
        }

        var hostId = await queries.HostIdAsync(name, cancellationToken).ConfigureAwait(false);
        if (hostId is null)
        {
            return ApiProblems.UnknownHost(name);
        }

        var latest = await queries.LatestAsync(hostId.Value, kind, count, bound.For(name), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(latest is null
            ? new LatestSnapshot(name, kind.Name, null, 0, 0, [])
            : new LatestSnapshot(name, kind.Name, UiQueryParameters.Time(latest.StartUnixMs), latest.DurationMs, latest.Sequence,
                [.. latest.Rows.Select(r => FleetTopRow.Of(kind.Definition, r.Key, r.Values.ToArray(kind.ValueCount), 1))]));
    }
}
