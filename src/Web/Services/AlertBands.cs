using System.Globalization;

namespace Tracefleet.Web.Services;

/// <summary>
/// A span an alert fired, as a chart marks it: from its change to <c>firing</c> to its change to <c>resolved</c>, cut to
/// the range shown. <see cref="StillFiring"/>: no end in the range (it fires on, or resolved after the range).
/// <see cref="Key"/> is empty for a host-wide alert.
/// </summary>
public sealed record AlertBand(string Rule, string Host, string Key, DateTime Start, DateTime End, bool StillFiring)
{
    /// <summary>"rule · key on host: firing 06:01:02 – 06:05:00 UTC", the marker's tooltip.</summary>
    public string Title => string.Create(CultureInfo.InvariantCulture,
        $"{Rule} · {AlertText.Key(Key)} on {Host}: firing {Start:HH:mm:ss} – {(StillFiring ? "on" : End.ToString("HH:mm:ss", CultureInfo.InvariantCulture))} UTC");
}

/// <summary>Turns alerts' state changes into the spans they fired.</summary>
public static class AlertBands
{
    /// <summary>
    /// The bands of <paramref name="transitions"/> (any order) within <paramref name="from"/>..<paramref name="to"/>, by start.
    /// A change out of <c>firing</c> with no start in the list began before it: its band starts at <paramref name="from"/>.
    /// </summary>
    public static IReadOnlyList<AlertBand> Of(IEnumerable<AlertTransition> transitions, DateTime from, DateTime to)
    {
        var bands = new List<AlertBand>();
        foreach (var alert in transitions.GroupBy(t => (t.Rule, t.Host, t.Key)))
        {
            DateTime? start = null;
            foreach (var change in alert.OrderBy(t => t.At))
            {
                if (change.To == "firing")
                {
                    start ??= change.At.UtcDateTime;
                }
                else if (change.To == "resolved" || change.From == "firing")
                {
                    bands.Add(new AlertBand(alert.Key.Rule, alert.Key.Host, alert.Key.Key, start ?? from, change.At.UtcDateTime, StillFiring: false));
                    start = null;
                }
            }

            if (start is { } open)
            {
                bands.Add(new AlertBand(alert.Key.Rule, alert.Key.Host, alert.Key.Key, open, to, StillFiring: true));
            }
        }

        return [.. bands
            .Where(b => b.End >= from && b.Start <= to)
            .Select(b => b with { Start = b.Start < from ? from : b.Start, End = b.End > to ? to : b.End, StillFiring = b.StillFiring || b.End > to })
            .OrderBy(b => b.Start).ThenBy(b => b.Rule, StringComparer.Ordinal)];
    }
}
