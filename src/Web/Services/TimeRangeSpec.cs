using System.Globalization;

namespace Tracefleet.Web.Services;

/// <summary>
/// A time range as the URL carries it: a preset relative to now (<c>range=15m</c> … <c>30d</c>) or
/// absolute <c>from</c>/<c>to</c> (ISO-8601, UTC).
/// </summary>
public sealed record TimeRangeSpec(string? Preset, DateTime? From, DateTime? To)
{
    public static readonly IReadOnlyList<(string Preset, string Label, TimeSpan Span)> Presets =
    [
        ("15m", "last 15 minutes", TimeSpan.FromMinutes(15)),
        ("1h", "last hour", TimeSpan.FromHours(1)),
        ("6h", "last 6 hours", TimeSpan.FromHours(6)),
        ("24h", "last 24 hours", TimeSpan.FromHours(24)),
        ("7d", "last 7 days", TimeSpan.FromDays(7)),
        ("30d", "last 30 days", TimeSpan.FromDays(30)),
    ];

    public static TimeRangeSpec Default { get; } = new("15m", null, null);

    public bool IsRelative => From is null || To is null;

    /// <summary>Absolute from/to win when both parse and are in order; otherwise the preset, else the default.</summary>
    public static TimeRangeSpec Parse(string? preset, string? from, string? to)
    {
        if (TryTime(from, out var f) && TryTime(to, out var t) && f < t)
        {
            return new TimeRangeSpec(null, f, t);
        }

        return Presets.Any(p => p.Preset == preset) ? new TimeRangeSpec(preset, null, null) : Default;
    }

    /// <summary>
    /// The absolute range between two UTC times in either order (a drag on a chart goes either way), widened to whole
    /// seconds, the URL's precision, and at least one second long.
    /// </summary>
    public static TimeRangeSpec Between(DateTime a, DateTime b)
    {
        var (from, to) = a <= b ? (a, b) : (b, a);
        var start = new DateTime(from.Ticks - from.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var end = new DateTime(to.Ticks + (TimeSpan.TicksPerSecond - to.Ticks % TimeSpan.TicksPerSecond) % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        return new TimeRangeSpec(null, start, end > start ? end : start.AddSeconds(1));
    }

    /// <summary>Twice as long about the same middle, absolute; it ends no later than <paramref name="now"/> unless this range already did.</summary>
    public TimeRangeSpec ZoomedOut(DateTime now)
    {
        var (from, to) = Resolve(now);
        var span = to - from;
        var end = to + span / 2;
        end = end < now ? end : (to > now ? to : now);
        return Between(end - 2 * span, end);
    }

    public (DateTime From, DateTime To) Resolve(DateTime now)
    {
        if (!IsRelative)
        {
            return (From!.Value, To!.Value);
        }

        var span = Presets.First(p => p.Preset == (Preset ?? Default.Preset)).Span;
        return (now - span, now);
    }

    /// <summary>A step that cuts the range into about <paramref name="buckets"/> buckets, in the API's units.</summary>
    public string Step(DateTime now, int buckets)
    {
        var (from, to) = Resolve(now);
        var seconds = Math.Max(1, (long)Math.Ceiling((to - from).TotalSeconds / buckets));
        return seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }

    public string Label => IsRelative
        ? Presets.First(p => p.Preset == (Preset ?? Default.Preset)).Label
        : $"{From:yyyy-MM-dd HH:mm} – {To:yyyy-MM-dd HH:mm} UTC";

    /// <summary>The query string parameters that reproduce this range.</summary>
    public IReadOnlyDictionary<string, object?> QueryParameters() => IsRelative
        ? new Dictionary<string, object?> { ["range"] = Preset, ["from"] = null, ["to"] = null }
        : new Dictionary<string, object?> { ["range"] = null, ["from"] = Iso(From!.Value), ["to"] = Iso(To!.Value) };

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static bool TryTime(string? text, out DateTime time)
    {
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed);
        time = parsed.UtcDateTime;
        return ok && !string.IsNullOrWhiteSpace(text);
    }
}
