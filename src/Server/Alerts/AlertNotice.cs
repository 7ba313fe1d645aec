namespace Tracefleet.Server.Alerts;

/// <summary>Whether a notice opens an alert or closes it, as Alertmanager's <c>status</c> field says it.</summary>
public enum AlertPhase
{
    Firing,
    Resolved,
}

/// <summary>
/// One alert as the receivers see it: Alertmanager's shape (labels identify it, annotations describe it,
/// <see cref="StartsAt"/>/<see cref="EndsAt"/> bound it). <see cref="Labels"/> always hold <c>alertname</c> (the
/// rule's name), <c>host</c>, <c>probe</c>, <c>severity</c>, <c>key</c> when the alert is per key, and the rule's own
/// labels; <see cref="Annotations"/> are the rule's, with <c>{{host}}</c>, <c>{{key}}</c> and <c>{{value}}</c> filled in.
/// </summary>
/// <param name="Fingerprint">Stable per (rule, host, key): the same alert's firing and resolved notices share it.</param>
/// <param name="Value">The rate that caused the transition, per second averaged over the rule's window.</param>
/// <param name="StartsAt">When the alert began firing (the snapshot's time, not the time it was evaluated).</param>
/// <param name="EndsAt">When it resolved; null while firing.</param>
public sealed record AlertNotice(
    string Fingerprint,
    AlertPhase Phase,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    double Value,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt)
{
    /// <summary>
    /// True for a firing alert announced before the server restarted and firing still: receivers that repeat firing
    /// alerts (Alertmanager, which would otherwise let it expire) take it up again; webhooks, told once already, skip it.
    /// </summary>
    public bool Repeat { get; init; }
}

/// <summary>
/// Takes alert notices for delivery. Called on the alert evaluator's path, which is on ingest's path:
/// an implementation returns at once and never blocks (it queues, bounded, and counts what it drops).
/// </summary>
public interface IAlertNotifier
{
    void Notify(AlertNotice notice);
}
