using Microsoft.AspNetCore.Http.HttpResults;
using Tracefleet.Server.History.Queries;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/compare</c>: two or more hosts on the same keys.</summary>
public static class CompareApi
{
    public static IEndpointRouteBuilder MapCompareApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/compare", GetAsync).WithTags("Compare").WithName("Compare").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("2 to 50 host= side by side over a time range: the union of each host's top limit keys (1 to 1000, default 20, 0 for 1000), with every host's totals for them; at most 1000 rows, the busiest.");
        return app;
    }

    private static async Task<Results<Ok<CompareResponse>, ProblemHttpResult>> GetAsync(
        string? probe, string? from, string? to, string? limit, string[]? host, HistoryQueries queries, CancellationToken cancellationToken)
    {
        if (!UiQueryParameters.TryProbe(probe, out var kind, out var problem)
            || !TimeRange.TryParse(from, to, out var range, out problem)
            || !UiQueryParameters.TryLimit(limit, HostsApi.DefaultLimit, out var count, out problem, UiQueryParameters.MaxCompareRows)
            || !UiQueryParameters.TryHosts(host, out var names, out problem))
        {
            return ApiProblems.BadRequest(problem!);
        }

        if (names.Count < 2)
        {
            return ApiProblems.BadRequest($"name 2 to {UiQueryParameters.MaxHosts} hosts to compare, as host=a&host=b (got {names.Count}).");
        }

        var (hosts, unknown) = await queries.ResolveHostsAsync(names, cancellationToken).ConfigureAwait(false);
        if (unknown is not null)
        {
            return ApiProblems.UnknownHost(unknown);
        }

        var ids = names.Select(name => hosts.Single(h => h.Value == name).Key).ToList();
        var compared = await queries.CompareAsync(ids, kind, range.FromUnixMs, range.ToUnixMs, count, UiQueryParameters.MaxCompareRows, cancellationToken).ConfigureAwait(false);
        var definition = kind.Definition;
        var rows = compared.Select(row => CompareRow.Of(
            definition, row.Key, [.. row.Values.Select(v => v?.ToArray(definition.ValueCount))])).ToList();
        return TypedResults.Ok(new CompareResponse(kind.Name, Bound(range.FromUnixMs), Bound(range.ToUnixMs), names, rows));
    }

    private static DateTime? Bound(long unixMs) => unixMs is long.MinValue or long.MaxValue ? null : UiQueryParameters.Time(unixMs);
}
