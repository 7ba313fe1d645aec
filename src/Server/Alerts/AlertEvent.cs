using Tracefleet.Server.Alerts.Evaluation;

namespace Tracefleet.Server.Alerts;

/// <summary>
/// One alert state change as the API's history and the hub's <c>alert</c> event give it. States in lower case
/// (<c>inactive</c>, <c>pending</c>, <c>firing</c>, <c>resolved</c>); <see cref="Value"/> per second over the rule's
/// window, null for no data; <see cref="Key"/> empty for a host-wide alert.
/// </summary>
public sealed record AlertEvent(
    DateTimeOffset At, string Rule, string Host, string Key, string From, string To, double? Value, string Severity, bool Notified, bool Silenced)
{
    public static AlertEvent Of(AlertTransition t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new(
            DateTimeOffset.FromUnixTimeMilliseconds(t.AtUnixMs), t.Rule, t.Host, t.Key, NameOf(t.From), NameOf(t.To),
            double.IsNaN(t.Value) ? null : t.Value, t.Severity, t.Notified, t.Silenced);
    }

    /// <summary>A transition as the history keeps it.</summary>
    public static AlertEvent Of(History.Entities.AlertTransitionRecord t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new(
            DateTimeOffset.FromUnixTimeMilliseconds(t.AtUnixMs), t.Rule, t.Host, t.Key, NameOf((AlertState)t.From), NameOf((AlertState)t.To),
            t.Value, t.Severity, t.Notified, t.Silenced);
    }

    public static string NameOf(AlertState state) => state switch
    {
        AlertState.Inactive => "inactive",
        AlertState.Pending => "pending",
        AlertState.Firing => "firing",
        _ => "resolved",
    };
}
