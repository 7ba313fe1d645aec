namespace Tracefleet.Server.History.Entities;

/// <summary>One change of an alert's state (<see cref="Alerts.Evaluation.AlertTransition"/>), kept for <c>Alerts:HistoryDays</c>.</summary>
public sealed class AlertTransitionRecord
{
    public long Id { get; set; }

    public required string Rule { get; set; }

    public required string Host { get; set; }

    /// <summary>The key; empty for a host-wide alert.</summary>
    public string Key { get; set; } = "";

    /// <summary><see cref="Alerts.Evaluation.AlertState"/> before and after.</summary>
    public int From { get; set; }

    public int To { get; set; }

    /// <summary>The data's time (end of the snapshot's interval), Unix ms.</summary>
    public long AtUnixMs { get; set; }

    /// <summary>Rate per second over the rule's window; null for no data.</summary>
    public double? Value { get; set; }

    public string Severity { get; set; } = "";

    public bool Notified { get; set; }

    public bool Silenced { get; set; }
}
