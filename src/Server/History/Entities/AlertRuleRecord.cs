namespace Tracefleet.Server.History.Entities;

/// <summary>An alert rule, as written (<see cref="Alerts.Rules.AlertRule"/> as JSON), and where it came from.</summary>
public sealed class AlertRuleRecord
{
    public long Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The rule as its author wrote it, JSON; read whole, never queried into.</summary>
    public required string SpecJson { get; set; }

    /// <summary><see cref="Alerts.Rules.RuleSource"/>: 0 the API, 1 the rules file.</summary>
    public int Source { get; set; }

    public long UpdatedUnixMs { get; set; }
}
