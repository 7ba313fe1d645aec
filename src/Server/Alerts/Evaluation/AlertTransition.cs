namespace Tracefleet.Server.Alerts.Evaluation;

/// <summary>
/// One change of an alert's state, stored in history and sent to live clients.
/// </summary>
/// <param name="Key">The key, or empty for a host-wide alert (no data, host silent).</param>
/// <param name="AtUnixMs">The time of the data that caused it: the end of the snapshot's interval (not when it was evaluated).</param>
/// <param name="Value">The rate per second averaged over the rule's window; NaN for a no-data or host-silent alert.</param>
/// <param name="Notified">True when a notice went out with this change (a firing, or the resolution of a firing that was sent).</param>
/// <param name="Silenced">True when a silence held back the notice.</param>
public sealed record AlertTransition(
    string Rule, string Host, string Key, AlertState From, AlertState To, long AtUnixMs, double Value, string Severity, bool Notified, bool Silenced);

/// <summary>
/// An alert's state as kept across restarts: every pending or firing (rule, host, key). A restored firing alert whose
/// notice went out (<see cref="Notified"/>) is not announced again.
/// </summary>
public sealed record AlertSeriesState(
    string Rule, string Host, string Key, AlertState State, long SinceUnixMs, double Value, bool Notified);
