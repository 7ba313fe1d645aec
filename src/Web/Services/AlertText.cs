using System.Globalization;

namespace Tracefleet.Web.Services;

/// <summary>How the alert pages write times, rates and keys.</summary>
public static class AlertText
{
    /// <summary>"2026-11-26 06:00:00" (UTC; the column headers say so).</summary>
    public static string Time(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The same, in UTC whatever offset the time came with.</summary>
    public static string Time(DateTimeOffset time) => Time(time.UtcDateTime);

    /// <summary>A rate per second: "1,234.5", "0.25"; "no data" for none.</summary>
    public static string Rate(double? value) => value?.ToString("#,0.##", CultureInfo.InvariantCulture) ?? "no data";

    /// <summary>A threshold as the rule holds it (text), written as a rate when it is a number.</summary>
    public static string Threshold(string text) => TryRate(text, out var value) ? Rate(value) : text;

    /// <summary>A number as the API writes it (invariant culture: <c>1000</c>, <c>2.5</c>, <c>1e3</c>); false for text that is no finite number.</summary>
    public static bool TryRate(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>A host-wide alert has no key.</summary>
    public static string Key(string key) => key.Length == 0 ? "(host-wide)" : key;

    /// <summary>A silence's glob; null matches anything.</summary>
    public static string Glob(string? glob) => glob ?? "any";
}
