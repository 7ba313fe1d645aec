using System.Globalization;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Api;

/// <summary>
/// Parsing the query parameters the API's endpoints share, and the bounds of what one request may ask for (each answer
/// stays a few hundred kB whatever the history holds); each failure is a sentence for a 400.
/// </summary>
public static class UiQueryParameters
{
    /// <summary>Hosts one request may name with <c>host=</c>.</summary>
    public const int MaxHosts = 50;

    /// <summary>Keys one series request may name with <c>key=</c>.</summary>
    public const int MaxKeys = 50;

    /// <summary>Buckets per series.</summary>
    public const int MaxPoints = 5000;

    /// <summary>Rows of a top (a host's, the fleet's); <c>limit=0</c> asks for this many. A full snapshot (1,000 keys and "(other)") fits.</summary>
    public const int MaxRows = 5000;

    /// <summary>Rows of a compare answer, each holding a value per compared host; <c>limit=0</c> asks for this many.</summary>
    public const int MaxCompareRows = 1000;

    public static bool TryProbe(string? probe, out Probe kind, out string? problem)
    {
        problem = Probe.TryParse(probe, out kind) ? null : $"probe must be one of {ProbeCatalogue.Names} (got \"{probe}\").";
        return problem is null;
    }

    /// <summary><c>format</c>: absent or <c>json</c> answers JSON, <c>csv</c> a download (any case); anything else is refused.</summary>
    public static bool TryFormat(string? format, out bool csv, out string? problem)
    {
        csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        problem = csv || format is null || string.Equals(format, "json", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"format must be json or csv (got \"{format}\").";
        return problem is null;
    }

    /// <summary>
    /// <c>limit</c>: absent is <paramref name="fallback"/>, 0 is <paramref name="max"/> (<see cref="MaxRows"/> unless
    /// said), more than that is refused saying the maximum (a client that wants every key learns there is a bound instead
    /// of receiving a silent cut).
    /// </summary>
    public static bool TryLimit(string? limit, int fallback, out int count, out string? problem, int max = MaxRows)
    {
        problem = null;
        count = fallback;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count > max))
        {
            problem = $"limit must be a whole number from 1 to {max}, or 0 for the most allowed ({max}) (got \"{limit}\").";
            return false;
        }

        if (count == 0)
        {
            count = max;
        }

        return true;
    }

    /// <summary>
    /// The <c>host=</c> parameters: at most <see cref="MaxHosts"/> distinct names, each a possible host name
    /// (<see cref="HostNames.Check"/>); empty ones are ignored.
    /// </summary>
    public static bool TryHosts(string[]? host, out List<string> names, out string? problem)
    {
        names = (host ?? []).Where(h => h.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        problem = names.Count > MaxHosts
            ? $"name at most {MaxHosts} hosts in one request (got {names.Count})."
            : names.Select(HostNames.Check).FirstOrDefault(p => p is not null);
        return problem is null;
    }

    /// <summary>
    /// A step such as <c>1s</c>, <c>10s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c> or whole seconds; absent: the range
    /// cut into about 120 buckets, at least a second each.
    /// </summary>
    public static bool TryStep(string? step, long fromUnixMs, long toUnixMs, out long stepMs, out string? problem)
    {
        problem = null;
        var spanMs = toUnixMs - fromUnixMs;
        if (string.IsNullOrWhiteSpace(step))
        {
            stepMs = Math.Max(1000, (spanMs / 120 + 999) / 1000 * 1000);
            return true;
        }

        var unit = step[^1] switch { 's' => 1000L, 'm' => 60_000L, 'h' => 3_600_000L, 'd' => 86_400_000L, _ => 0L };
        var number = unit == 0 ? step : step[..^1];
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0 || count > 366 * 86_400L)
        {
            stepMs = 0;
            problem = $"step must be a positive duration such as 1s, 10s, 5m, 1h or 1d (got \"{step}\").";
            return false;
        }

        stepMs = count * (unit == 0 ? 1000L : unit);
        if (spanMs / stepMs > MaxPoints)
        {
            problem = $"step {step} cuts the range into more than {MaxPoints} buckets; choose a longer step or a shorter range.";
            return false;
        }

        return true;
    }

    /// <summary>
    /// A range for series: absent <c>to</c> is now, absent <c>from</c> is 15 minutes before <c>to</c>
    /// (a series over "all history" would need a first bucket nobody asked for).
    /// </summary>
    public static bool TrySeriesRange(string? from, string? to, DateTime now, out TimeRange range, out string? problem)
    {
        if (!TimeRange.TryParse(from, to, out range, out problem))
        {
            return false;
        }

        var toMs = range.ToUnixMs == long.MaxValue ? new DateTimeOffset(now).ToUnixTimeMilliseconds() : range.ToUnixMs;
        var fromMs = range.FromUnixMs == long.MinValue ? toMs - (long)TimeSpan.FromMinutes(15).TotalMilliseconds : range.FromUnixMs;
        if (fromMs >= toMs)
        {
            problem = "from must be before to.";
            return false;
        }

        range = new TimeRange(fromMs, toMs);
        return true;
    }

    public static DateTime Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;
}
