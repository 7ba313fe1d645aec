using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Queries;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/fleet/series</c>: the fleet's totals of one probe over time, summed over every host in one answer.</summary>
public static class FleetSeriesApi
{
    /// <summary>
    /// <c>?probe=&amp;from=&amp;to=&amp;step=</c> as <c>/api/series</c> takes them (the last 15 minutes and about 120 buckets
    /// by default); 400 with the reason for a parameter out of its rules.
    /// </summary>
    public static async Task<IResult> GetAsync(
        string? probe, string? from, string? to, string? step, HistoryQueries queries, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!UiQueryParameters.TryProbe(probe, out var kind, out var problem)
            || !UiQueryParameters.TrySeriesRange(from, to, time.GetUtcNow().UtcDateTime, out var range, out problem)
            || !UiQueryParameters.TryStep(step, range.FromUnixMs, range.ToUnixMs, out var stepMs, out problem))
        {
            return ApiProblems.BadRequest(problem!);
        }

        var (hosts, _) = await queries.ResolveHostsAsync([], cancellationToken).ConfigureAwait(false);
        var buckets = await queries.SeriesAsync(hosts.Keys, [], kind, range.FromUnixMs, range.ToUnixMs, stepMs, cancellationToken)
            .ConfigureAwait(false);
        var definition = kind.Definition;
        var sums = new SortedDictionary<long, FleetBucket>();
        foreach (var bucket in buckets)
        {
            if (!sums.TryGetValue(bucket.Bucket, out var fleet))
            {
                sums[bucket.Bucket] = fleet = new FleetBucket();
            }

            fleet.Add(bucket);
        }

        var points = sums
            .Select(b => SeriesPoint.Of(
                definition, UiQueryParameters.Time(range.FromUnixMs + b.Key * stepMs), b.Value.Values.ToArray(definition.ValueCount),
                b.Value.Peaks?.ToArray(definition.ValueCount), b.Value.Lows?.ToArray(definition.ValueCount)))
            .ToList();
        return Results.Ok(new FleetSeriesResponse(
            definition.Name, UiQueryParameters.Time(range.FromUnixMs), UiQueryParameters.Time(range.ToUnixMs), stepMs,
            buckets.Select(b => b.HostId).Distinct().Count(), points));
    }

    /// <summary>
    /// One bucket summed over the hosts (saturating, as every sum of counts: <see cref="RowValues.Add"/>), with the hosts'
    /// lowest and busiest reported seconds summed: the fleet's own busiest second is at most that peak (equal when the hosts
    /// peak in the same second). Unknown (null) once one host's are.
    /// </summary>
    private sealed class FleetBucket
    {
        private bool _bounded = true;
        private RowValues _values;
        private RowValues _peaks;
        private RowValues _lows;

        public RowValues Values => _values;

        public RowValues? Peaks => _bounded ? _peaks : null;

        public RowValues? Lows => _bounded ? _lows : null;

        public void Add(SeriesBucket host)
        {
            _values.Add(host.Values.AsSpan());
            if (host.Peaks is not { } peaks || host.Lows is not { } lows)
            {
                _bounded = false;
                return;
            }

            _peaks.Add(peaks.AsSpan());
            _lows.Add(lows.AsSpan());
        }
    }
}
