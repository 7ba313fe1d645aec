using System.Globalization;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Queries;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/series</c>: per-host (and per-key) sums over time in buckets of a step, with each bucket's peak and low second.</summary>
public static class SeriesApi
{
    public static IEndpointRouteBuilder MapSeriesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/series", GetAsync).WithTags("Series").WithName("Series").Produces<SeriesResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Sums per bucket of step for each host= (all when none) and each key= (all keys summed when none), with peaks and lows: the greatest and least value of a single second in the bucket; from defaults to 15 minutes before to, to to now; format=csv for a download (columns <column>_peak and <column>_low after the sums, empty when not known).");
        return app;
    }

    private static async Task<IResult> GetAsync(
        string? probe, string? from, string? to, string? step, string[]? host, string[]? key, string? format,
        HistoryQueries queries, TimeProvider time, CancellationToken cancellationToken)
    {
        var keys = (key ?? []).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (!UiQueryParameters.TryProbe(probe, out var kind, out var problem)
            || !UiQueryParameters.TrySeriesRange(from, to, time.GetUtcNow().UtcDateTime, out var range, out problem)
            || !UiQueryParameters.TryStep(step, range.FromUnixMs, range.ToUnixMs, out var stepMs, out problem)
            || !UiQueryParameters.TryHosts(host, out var names, out problem)
            || !UiQueryParameters.TryFormat(format, out var csv, out problem))
        {
            return ApiProblems.BadRequest(problem!);
        }

        if (keys.Count > UiQueryParameters.MaxKeys)
        {
            return ApiProblems.BadRequest($"ask for at most {UiQueryParameters.MaxKeys} keys at once (got {keys.Count}).");
        }

        var (hosts, unknown) = await queries.ResolveHostsAsync(names, cancellationToken).ConfigureAwait(false);
        if (unknown is not null)
        {
            return ApiProblems.UnknownHost(unknown);
        }

        var buckets = await queries.SeriesAsync(hosts.Keys, keys, kind, range.FromUnixMs, range.ToUnixMs, stepMs, cancellationToken).ConfigureAwait(false);
        DateTime At(long bucket) => UiQueryParameters.Time(range.FromUnixMs + bucket * stepMs);

        if (csv)
        {
            var definition = kind.Definition;
            // Peaks and lows after the sums, so a reader of the sums' columns by position reads them as before; empty when not known.
            string[] header = ["time", "host", "key", .. definition.Columns.Select(c => c.Name),
                .. definition.Columns.Select(c => $"{c.Name}_peak"), .. definition.Columns.Select(c => $"{c.Name}_low")];
            IEnumerable<string> Cells(RowValues? values) => values is { } known ? known.ToArray(definition.ValueCount).Select(Csv.Count) : Enumerable.Repeat("", definition.ValueCount);
            return Csv.File($"series-{kind.Name}.csv", header, buckets.Select(b => (IEnumerable<string>)[
                At(b.Bucket).ToString("O", CultureInfo.InvariantCulture), hosts[b.HostId], b.Key ?? "(all keys)",
                .. b.Values.ToArray(definition.ValueCount).Select(Csv.Count), .. Cells(b.Peaks), .. Cells(b.Lows)]));
        }

        var series = buckets
            .GroupBy(b => (b.HostId, b.Key))
            .Select(g => new Series(hosts[g.Key.HostId], g.Key.Key, [.. g.Select(b => SeriesPoint.Of(
                kind.Definition, At(b.Bucket), b.Values.ToArray(kind.ValueCount), b.Peaks?.ToArray(kind.ValueCount), b.Lows?.ToArray(kind.ValueCount)))]))
            .OrderBy(s => s.Host, StringComparer.Ordinal).ThenBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        return Results.Ok(new SeriesResponse(kind.Name, UiQueryParameters.Time(range.FromUnixMs), UiQueryParameters.Time(range.ToUnixMs), stepMs, series));
    }
}
