using System.Globalization;
using System.Text.RegularExpressions;

namespace Tracefleet.Server.Api;

/// <summary>
/// The <c>from</c>/<c>to</c> query parameters: ISO-8601 times, both optional (default: all history). Only ISO-8601's
/// own shapes are read (<c>2026-11-26</c>, <c>2026-11-26T06:00</c>, <c>2026-11-26T06:00:00.123Z</c>,
/// <c>2026-11-26T07:00:00+01:00</c>; no offset means UTC), so <c>12/11/2026</c> is refused instead of being read as
/// one of the two days it could mean.
/// </summary>
public readonly partial record struct TimeRange(long FromUnixMs, long ToUnixMs)
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

        // The shape is checked first: the parser itself also reads local formats ("12/11/2026", "Nov 26").
        if (IsoShape().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            unixMs = time.ToUnixTimeMilliseconds();
            return true;
        }

        // A + left unescaped in a query string arrives as a space.
        var plus = text.Contains(' ', StringComparison.Ordinal) ? " An offset's + must be sent as %2B." : "";
        problem = $"{name} must be an ISO-8601 time such as 2026-11-26T06:00:00Z, 2026-11-26T07:00:00+01:00 or 2026-11-26 (got \"{Shown(text)}\").{plus}";
        return false;
    }

    /// <summary>The refused text as the problem quotes it: at most 64 characters.</summary>
    private static string Shown(string text) => text.Length <= 64 ? text : text[..64] + "…";

    [GeneratedRegex(@"\A[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex IsoShape();
}
