namespace Tracefleet.Server.History.Entities;

/// <summary>A pending or firing alert, kept so that a restarted server carries on without announcing it again.</summary>
public sealed class AlertStateRecord
{
    public long Id { get; set; }

    /// <summary><see cref="Alerts.Evaluation.AlertFingerprint"/> of rule, host and key: unique, and short enough to index whatever the key's length.</summary>
    public required string Fingerprint { get; set; }

    public required string Rule { get; set; }

    public required string Host { get; set; }

    public string Key { get; set; } = "";

    /// <summary><see cref="Alerts.Evaluation.AlertState"/>: pending or firing.</summary>
    public int State { get; set; }

    public long SinceUnixMs { get; set; }

    public double? Value { get; set; }

    public bool Notified { get; set; }
}
