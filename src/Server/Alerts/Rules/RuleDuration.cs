using System.Globalization;
using System.Text;

namespace Tracefleet.Server.Alerts.Rules;

/// <summary>
/// Durations as Prometheus writes them (<c>10s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c>, <c>0s</c>): one or more
/// number-and-unit parts, units <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>, <c>w</c>, largest first; a bare
/// <c>0</c> is zero. (prometheus/common model.ParseDuration.)
/// </summary>
public static class RuleDuration
{
    private static readonly (string Unit, long Ms)[] Units =
        [("w", 7 * 86_400_000L), ("d", 86_400_000L), ("h", 3_600_000L), ("m", 60_000L), ("s", 1_000L), ("ms", 1L)];

    /// <summary>The duration in milliseconds, or null with the reason.</summary>
    public static long? Parse(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = null;
        var s = text.Trim();
        if (s == "0")
        {
            return 0;
        }

        long total = 0;
        var lastUnit = -1;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetterLower(s[i]))
            {
                i++;
            }

            var unit = Array.FindIndex(Units, u => u.Unit == s[unitStart..i]);
            if (start == unitStart || unit < 0 || unit <= lastUnit
                || !long.TryParse(s.AsSpan(start, unitStart - start), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || count > long.MaxValue / Units[unit].Ms || total > long.MaxValue - (count * Units[unit].Ms))
            {
                problem = $"\"{Shown(text)}\" is not a duration such as 10s, 5m or 1h30m";
                return null;
            }

            total += count * Units[unit].Ms;
            lastUnit = unit;
        }

        if (lastUnit < 0)
        {
            problem = $"\"{Shown(text)}\" is not a duration such as 10s, 5m or 1h30m";
            return null;
        }

        return total;
    }

    /// <summary>The shortest text <see cref="Parse"/> reads back as <paramref name="ms"/>: <c>90000</c> → <c>1m30s</c>.</summary>
    public static string Format(long ms)
    {
        if (ms == 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        foreach (var (unit, size) in Units)
        {
            if (ms >= size)
            {
                text.Append(CultureInfo.InvariantCulture, $"{ms / size}{unit}");
                ms %= size;
            }
        }

        return text.ToString();
    }

    private static string Shown(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
