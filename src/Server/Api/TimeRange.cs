using System.Globalization;

namespace Tracefleet.Server.Api;

/// <summary>The <c>from</c>/<c>to</c> query parameters: ISO-8601 times, both optional (default: all history).</summary>
public readonly record struct TimeRange(long FromUnixMs, long ToUnixMs)
{
    public static bool TryParse(string? from, string? to, out TimeRange range, out string? problem)
    {
        range = default;
        problem = null;
        if (!TryParseTime(from, "from", long.MinValue, out var fromMs, ref problem)
            || !TryParseTime(to, "to", long.MaxValue, out var toMs, ref problem))
        {
            return false;
        }

        if (fromMs > toMs)
        {
            problem = "from must not be after to.";
            return false;
        }

        range = new TimeRange(fromMs, toMs);
        return true;
    }

    private static bool TryParseTime(string? text, string name, long absent, out long unixMs, ref string? problem)
    {
        unixMs = absent;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            unixMs = time.ToUnixTimeMilliseconds();
            return true;
        }

        problem = $"{name} must be an ISO-8601 time such as 2026-11-26T06:00:00Z (got \"{text}\").";
        return false;
    }
}
