using System.Globalization;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>Times as Alertmanager writes them (Go's RFC 3339 with nanoseconds): UTC, <c>Z</c>, no trailing zeros.</summary>
public static class AlertTimes
{
    /// <summary>What Alertmanager sends as <c>endsAt</c> while an alert fires: Go's zero time.</summary>
    public const string Unset = "0001-01-01T00:00:00Z";

    public static string Format(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
