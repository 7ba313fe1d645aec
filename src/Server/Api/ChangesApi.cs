using Microsoft.AspNetCore.Http.HttpResults;
using Tracefleet.Server.Alerts.Rules;
using Tracefleet.Server.History.Queries;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/changes</c>: what changed between a window and the same window an hour, a day or a week before.</summary>
public static class ChangesApi
{
    /// <summary>The longest shift: a year and a day, past the longest history a tier keeps by default.</summary>
    private static readonly long MaxAgainstMs = (long)TimeSpan.FromDays(366).TotalMilliseconds;

    public static IEndpointRouteBuilder MapChangesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/changes", GetAsync).WithTags("Compare").WithName("Changes").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Keys ranked by how far they moved between [from, to) (default: the last 15 minutes) and the same window against= "
                + "earlier (a duration such as 1h, 1d, 7d; default 1d), summed over host= (none: the whole fleet); column= a value column "
                + "or the probe's net (default: the column tops rank by); limit= 1 to 1000 (default 20, 0 for 1000). Keys that did not move are left out.");
        return app;
    }

    private static async Task<Results<Ok<ChangesResponse>, ProblemHttpResult>> GetAsync(
        string? probe, string? from, string? to, string? against, string? column, string? limit, string[]? host,
        HistoryQueries queries, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!UiQueryParameters.TryProbe(probe, out var kind, out var problem)
            || !UiQueryParameters.TrySeriesRange(from, to, time.GetUtcNow().UtcDateTime, out var range, out problem)
            || !TryAgainst(against, out var againstMs, out problem)
            || !TryMeasure(kind.Definition, column, out var measure, out problem)
            || !UiQueryParameters.TryLimit(limit, HostsApi.DefaultLimit, out var count, out problem, UiQueryParameters.MaxCompareRows)
            || !UiQueryParameters.TryHosts(host, out var names, out problem))
        {
            return ApiProblems.BadRequest(problem!);
        }

        var (hosts, unknown) = await queries.ResolveHostsAsync(names, cancellationToken).ConfigureAwait(false);
        if (unknown is not null)
        {
            return ApiProblems.UnknownHost(unknown);
        }

        var changes = await queries.ChangesAsync(hosts.Keys, kind, range.FromUnixMs, range.ToUnixMs, againstMs, v => measure.Of(v.AsSpan()), count, cancellationToken).ConfigureAwait(false);
        var definition = kind.Definition;
        var rows = changes.Select(c => KeyChangeRow.Of(
            definition, c.Key, (decimal)c.Change, c.Now?.ToArray(definition.ValueCount), c.Then?.ToArray(definition.ValueCount))).ToList();
        return TypedResults.Ok(new ChangesResponse(
            kind.Name, measure.Name, UiQueryParameters.Time(range.FromUnixMs), UiQueryParameters.Time(range.ToUnixMs),
            UiQueryParameters.Time(range.FromUnixMs - againstMs), UiQueryParameters.Time(range.ToUnixMs - againstMs), againstMs, names, rows));
    }

    /// <summary><c>against</c>: a duration (Prometheus's form) from a second to <see cref="MaxAgainstMs"/>; absent: a day.</summary>
    private static bool TryAgainst(string? against, out long ms, out string? problem)
    {
        problem = null;
        ms = (long)TimeSpan.FromDays(1).TotalMilliseconds;
        if (against is null)
        {
            return true;
        }

        var parsed = RuleDuration.Parse(against, out problem);
        if (parsed is not { } value || value < 1000 || value > MaxAgainstMs)
        {
            problem = $"against must be a duration from 1s to 366d, such as 1h, 1d or 7d ({problem ?? $"got \"{against}\""}).";
            return false;
        }

        ms = value;
        return true;
    }

    /// <summary><c>column</c>: a value column of the probe, or its net (plus − minus); absent: the column tops rank by.</summary>
    private static bool TryMeasure(ProbeDefinition probe, string? column, out ColumnMeasure measure, out string? problem)
    {
        var name = column ?? probe.RankedBy.Name;
        var found = ColumnMeasure.Of(probe, name);
        measure = found.GetValueOrDefault();
        problem = found is null ? $"column must be one of {string.Join(", ", ColumnMeasure.NamesOf(probe))} for {probe.Name} (got \"{name}\")." : null;
        return problem is null;
    }
}
