using System.Globalization;
using Tracefleet.Contract;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Queries;
using Tracefleet.Server.Ingest;
using Tracefleet.Server.Live;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/fleet</c>: the fleet at a glance and its busiest keys over a range.</summary>
public static class FleetApi
{
    public const int MaxWindowSeconds = 600;

    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder app)
    {
        var fleet = app.MapGroup("/api/fleet").WithTags("Fleet");
        fleet.MapGet("/top", TopAsync).WithName("FleetTop").Produces<IReadOnlyList<FleetTopRow>>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The busiest keys across hosts (all, or up to 50 host=) over a time range; limit 1 to 5000 (default 20), 0 for 5000; format=csv for a download.");
        fleet.MapGet("/summary", SummaryAsync).WithName("FleetSummary").ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Every host with its status, the probes it runs, per-second totals of the last window seconds (default 60) and its busiest keys.");
        fleet.MapGet("/series", FleetSeriesApi.GetAsync).WithName("FleetSeries").Produces<FleetSeriesResponse>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The fleet's totals of one probe per bucket of step, summed over every host, with peaks and lows: the hosts' busiest and lowest reported seconds of the bucket summed (the peak bounds the fleet's own); from defaults to 15 minutes before to, to to now.");
        return app;
    }

    private static async Task<IResult> TopAsync(
        string? probe, string? from, string? to, string? limit, string[]? host, string? format, HistoryQueries queries, CancellationToken cancellationToken)
    {
        if (!UiQueryParameters.TryProbe(probe, out var kind, out var problem)
            || !TimeRange.TryParse(from, to, out var range, out problem)
            || !UiQueryParameters.TryLimit(limit, HostsApi.DefaultLimit, out var count, out problem)
            || !UiQueryParameters.TryHosts(host, out var names, out problem)
            || !UiQueryParameters.TryFormat(format, out var csv, out problem))
        {
            return ApiProblems.BadRequest(problem!);
        }

        // No host named: the whole fleet, which needs no list of its hosts (and reads what is kept of settled buckets).
        IReadOnlyCollection<long>? hostIds = null;
        if (names.Count > 0)
        {
            var (hosts, unknown) = await queries.ResolveHostsAsync(names, cancellationToken).ConfigureAwait(false);
            if (unknown is not null)
            {
                return ApiProblems.UnknownHost(unknown);
            }

            hostIds = hosts.Keys;
        }

        var rows = await queries.FleetTopAsync(hostIds, kind, range.FromUnixMs, range.ToUnixMs, count, cancellationToken).ConfigureAwait(false);
        if (csv)
        {
            var definition = kind.Definition;
            string[] header = ["key", .. definition.Columns.Select(c => c.Name), "hosts"];
            return Csv.File($"fleet-top-{definition.Name}.csv", header, rows.Select(r => (IEnumerable<string>)[
                r.Key, .. r.Values.ToArray(definition.ValueCount).Select(Csv.Count), Hosts(r)]));
        }

        return Results.Ok(rows.Select(r => FleetTopRow.Of(kind.Definition, r.Key, r.Values.ToArray(kind.ValueCount), r.Hosts)));
    }

    private static async Task<Results<Ok<FleetSummary>, ProblemHttpResult>> SummaryAsync(
        string? window, HistoryQueries queries, AgentSessions sessions, IOptions<LiveOptions> live, LatestBound bound, TimeProvider time, CancellationToken cancellationToken)
    {
        var seconds = 60;
        if (window is not null && (!int.TryParse(window, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds is < 1 or > MaxWindowSeconds))
        {
            return ApiProblems.BadRequest($"window must be 1 to {MaxWindowSeconds} seconds (got \"{window}\").");
        }

        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        // Whole seconds, so that the live feed's next second lines up with the last bucket.
        var toMs = nowMs / 1000 * 1000;
        var range = new TimeRange(toMs - seconds * 1000L, toMs);
        var hosts = await queries.HostsAsync(cancellationToken).ConfigureAwait(false);
        var ids = hosts.Select(h => h.Id).ToList();
        var probes = Probe.All;
        var series = new Dictionary<ProbeDefinition, IReadOnlyList<SeriesBucket>>();
        foreach (var probe in probes)
        {
            series[probe.Definition] = await queries.SeriesAsync(ids, [], probe, range.FromUnixMs, range.ToUnixMs, 1000, cancellationToken).ConfigureAwait(false);
        }

        var result = new List<FleetSummaryHost>(hosts.Count);
        foreach (var h in hosts)
        {
            var notAfter = bound.For(h.Name);
            var topKeys = new Dictionary<ProbeDefinition, (string? Top, string? Named)>();
            foreach (var probe in probes)
            {
                // Keys of a snapshot are unique, so these few rows hold a key that names something if the snapshot has one.
                var latest = await queries.LatestAsync(h.Id, probe, UnnamedKeys.All.Count + 1, notAfter, cancellationToken).ConfigureAwait(false);
                var keys = latest?.Rows.Select(r => r.Key).ToList() ?? [];
                topKeys[probe.Definition] = (keys.FirstOrDefault(), UnnamedKeys.FirstNamed(keys));
            }

            var reporting = nowMs - h.LastSeenUnixMs <= live.Value.ReportingWindowMs;
            result.Add(FleetSummaryHost.Of(
                h.Name, h.Os, h.Backend, sessions.IsOnline(h.Name), reporting, UiQueryParameters.Time(h.LastSeenUnixMs), Runs(h, series),
                column => PerSecond(series, column, h.Id, seconds), probe => topKeys[probe].Top, probe => topKeys[probe].Named));
        }

        return TypedResults.Ok(new FleetSummary(now.UtcDateTime, seconds, result.Count(h => h.Reporting), result.Count, result));
    }

    /// <summary>One host's total of <paramref name="column"/> in each second of the window, from the series of the probe that carries it.</summary>
    private static ulong[] PerSecond(Dictionary<ProbeDefinition, IReadOnlyList<SeriesBucket>> series, ValueColumn column, long hostId, int seconds)
    {
        var values = new ulong[seconds];
        foreach (var (probe, buckets) in series.Where(s => s.Key.Has(column)))
        {
            var at = probe.ColumnIndex(column.Name);
            foreach (var bucket in buckets.Where(b => b.HostId == hostId && b.Bucket >= 0 && b.Bucket < seconds))
            {
                values[bucket.Bucket] = bucket.Values[at];
            }
        }

        return values;
    }

    /// <summary>
    /// The probes <paramref name="host"/> runs, in catalogue order: those its last Hello declared as running (an agent
    /// declares a probe it could not start with the variant "none"), and any it stored a snapshot of in the window.
    /// </summary>
    private static List<string> Runs(HostRecord host, Dictionary<ProbeDefinition, IReadOnlyList<SeriesBucket>> series)
    {
        var declared = HostsApi.ProbesOf(host).Where(p => p.Variant != ProbeVariants.NotRunning).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return [.. ProbeCatalogue.All
            .Where(p => declared.Contains(p.Name) || (series.TryGetValue(p, out var buckets) && buckets.Any(b => b.HostId == host.Id)))
            .Select(p => p.Name)];
    }

    private static string Hosts(FleetKeyTotals row) => row.Hosts.ToString(CultureInfo.InvariantCulture);
}
