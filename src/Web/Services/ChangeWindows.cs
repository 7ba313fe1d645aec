using System.Globalization;
using System.Text.RegularExpressions;

namespace Tracefleet.Web.Services;

/// <summary>
/// The earlier windows "what changed" compares against, as the URL's <c>against=</c> carries them: the usual three, or
/// any duration the API reads (<c>30m</c>, <c>2d</c>), which a deep link may hold.
/// </summary>
public static partial class ChangeWindows
{
    public static readonly IReadOnlyList<(string Against, string Label)> Presets =
    [
        ("1h", "an hour before"),
        ("1d", "a day before"),
        ("7d", "a week before"),
    ];

    public const string Default = "1d";

    /// <summary>The URL's value when it looks like a duration (the server has the last word on it), else <see cref="Default"/>.</summary>
    public static string Of(string? against) => against is not null && Duration().IsMatch(against) ? against : Default;

    /// <summary>"a day before", or "30m before" for a duration no preset names.</summary>
    public static string Label(string against) =>
        Presets.FirstOrDefault(p => p.Against == against).Label ?? $"{against} before";

    /// <summary>How far the earlier window lies back, as text a chart's legend can carry: <c>1d earlier</c>.</summary>
    public static string Earlier(long againstMs) =>
        TimeSpan.FromMilliseconds(againstMs) switch
        {
            var t when t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays) => t.TotalDays.ToString(CultureInfo.InvariantCulture) + "d earlier",
            var t when t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours) => t.TotalHours.ToString(CultureInfo.InvariantCulture) + "h earlier",
            var t when t.TotalMinutes >= 1 && t.TotalMinutes == Math.Floor(t.TotalMinutes) => t.TotalMinutes.ToString(CultureInfo.InvariantCulture) + "m earlier",
            var t => Math.Floor(t.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s earlier",
        };

    [GeneratedRegex("^([0-9]+(ms|s|m|h|d|w))+$")]
    private static partial Regex Duration();
}
