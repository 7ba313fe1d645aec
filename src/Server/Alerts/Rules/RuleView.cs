namespace Tracefleet.Server.Alerts.Rules;

/// <summary>
/// A rule as <c>GET /api/rules</c> lists it: as written, with the defaults of fields left out filled in, where it
/// came from (<c>api</c> or <c>file</c>), and why it is not evaluated when it is not (a probe the server no longer knows).
/// </summary>
public sealed class RuleView : AlertRule
{
    public string Source { get; init; } = "api";

    public string? Problem { get; init; }

    public static RuleView Of(ListedRule listed)
    {
        ArgumentNullException.ThrowIfNull(listed);
        var rule = listed.Rule;
        return new RuleView
        {
            Name = rule.Name,
            Probe = rule.Probe,
            Column = rule.Column,
            Key = rule.Key,
            Hosts = rule.Hosts,
            Above = rule.Above,
            Below = rule.Below,
            Window = rule.Window ?? RuleDuration.Format(RuleCompiler.DefaultWindowMs),
            For = rule.For ?? "0s",
            Clear = rule.Clear,
            KeepFiringFor = rule.KeepFiringFor ?? "0s",
            NoData = rule.NoData ?? "ignore",
            Severity = rule.Severity ?? "warning",
            Labels = rule.Labels ?? [],
            Annotations = rule.Annotations ?? [],
            Source = listed.Source == RuleSource.File ? "file" : "api",
            Problem = listed.Problem,
        };
    }
}
