using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/compare</c>: two or more hosts on the same keys.</summary>
public static class CompareApi
{
    public static IEndpointRouteBuilder MapCompareApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/compare", GetAsync).WithTags("Compare").WithName("Compare").Produces<CompareResponse>()
            .WithSummary("Two or more host= side by side over a time range: the union of each host's top limit keys, with every host's totals for them.");
        return app;
    }

    private static async Task<IResult> GetAsync(
        string? probe, string? from, string? to, string? limit, string[]? host, TracefleetDb db, CancellationToken cancellationToken)
    {
        var names = (host ?? []).Where(h => h.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (!UiQueryParameters.TryProbe(probe, out var kind, out var problem)
            || !TimeRange.TryParse(from, to, out var range, out problem)
            || !UiQueryParameters.TryLimit(limit, HostsApi.DefaultLimit, out var count, out problem))
        {
            return ApiProblems.BadRequest(problem!);
        }

        if (names.Count is < 2 or > UiQueryParameters.MaxHosts)
        {
            return ApiProblems.BadRequest($"name 2 to {UiQueryParameters.MaxHosts} hosts to compare, as host=a&host=b (got {names.Count}).");
        }

        var (hosts, unknown) = await UiQueryParameters.ResolveHostsAsync(db, [.. names], cancellationToken).ConfigureAwait(false);
        if (unknown is not null)
        {
            return ApiProblems.UnknownHost(unknown);
        }

        // Each host's own top keys, so a key busy on one host only is still shown (and the others get null).
        var perHost = new List<Dictionary<string, KeyTotals>>(names.Count);
        foreach (var name in names)
        {
            var id = hosts.Single(h => h.Value == name).Key;
            var all = await TopQuery.RunAsync(db, id, kind, range.FromUnixMs, range.ToUnixMs, 0, cancellationToken).ConfigureAwait(false);
            perHost.Add(all.ToDictionary(r => r.Key, StringComparer.Ordinal));
        }

        var keys = perHost
            .SelectMany(totals => count > 0 ? totals.Values.Take(count) : totals.Values)
            .Select(r => r.Key)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(k => perHost.Max(t => t.TryGetValue(k, out var r) ? r.First : 0))
            .ThenBy(k => k, StringComparer.Ordinal)
            .ToList();

        var rows = keys.Select(k =>
        {
            var values = perHost.Select(t => t.TryGetValue(k, out var r) ? r : null).ToList();
            return kind == Probe.Kmem
                ? new CompareRow(k, null, [.. values.Select(v => v?.First)], [.. values.Select(v => v?.Second)])
                : new CompareRow(k, [.. values.Select(v => v?.First)], null, null);
        }).ToList();

        return Results.Ok(new CompareResponse(kind.Name(), Bound(range.FromUnixMs), Bound(range.ToUnixMs), names, rows));
    }

    private static DateTime? Bound(long unixMs) => unixMs is long.MinValue or long.MaxValue ? null : UiQueryParameters.Time(unixMs);
}
