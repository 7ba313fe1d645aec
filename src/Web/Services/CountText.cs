using System.Globalization;
using Tracefleet.Contract;

namespace Tracefleet.Web.Services;

/// <summary>
/// How the UI writes counts: every digit, as the API gives them. A saturated total (<see cref="Counts.Saturated"/>)
/// means "at least this many", and says so; a difference or ratio with a saturated side is unknown, and says that.
/// </summary>
public static class CountText
{
    /// <summary>Where a number cannot be told because a count it depends on is saturated.</summary>
    public const string Unknown = "unknown (saturated)";

    /// <summary>What a saturated count's tooltip explains.</summary>
    public const string SaturatedTitle = "saturated: the total reached 2^64 − 1 and is at least this many";

    /// <summary><c>123</c>, or <c>≥ 18446744073709551615 (saturated)</c>.</summary>
    public static string Format(ulong value) => Marked(value, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A count of one second, grouped for reading: <c>1,234/s</c>, or <c>≥ 18,446,744,073,709,551,615/s (saturated)</c>.</summary>
    public static string PerSecond(ulong value) => Marked(value, value.ToString("N0", CultureInfo.InvariantCulture) + "/s");

    /// <summary>A signed difference of counts (<c>+3</c>, <c>−10</c>, <c>0</c>), or <see cref="Unknown"/> when it is null.</summary>
    public static string Difference(Int128? value) => value?.ToString("+#;−#;0", CultureInfo.InvariantCulture) ?? Unknown;

    /// <summary>A cache's net growth (<c>12</c>, <c>-3</c>), or <see cref="Unknown"/> when it is null.</summary>
    public static string Net(Int128? value) => value?.ToString(CultureInfo.InvariantCulture) ?? Unknown;

    /// <summary>The CSS class that makes a saturated count stand out; null for any other.</summary>
    public static string? Class(ulong value) => Counts.IsSaturated(value) ? "saturated" : null;

    /// <summary>The tooltip of a saturated count; null for any other.</summary>
    public static string? Title(ulong value) => Counts.IsSaturated(value) ? SaturatedTitle : null;

    private static string Marked(ulong value, string text) => Counts.IsSaturated(value) ? $"≥ {text} (saturated)" : text;
}
