using Tracefleet.Server.Alerts.Rules;

namespace Tracefleet.Server.Alerts.Evaluation;

/// <summary>
/// An alert pending or firing: raised by <see cref="Rule"/>, or, when that is null, the server's own host-silent alert.
/// Its name, severity, labels and annotations are what receivers get (<see cref="AlertNotice"/>).
/// </summary>
/// <param name="Key">The key; empty for a host-wide alert (no data, host silent).</param>
/// <param name="Value">The rate per second over the rule's window; NaN for no data.</param>
public sealed record ActiveAlert(CompiledRule? Rule, string Host, string Key, AlertState State, long SinceUnixMs, double Value)
{
    public string RuleName => NameOf(Rule);

    public string Severity => SeverityOf(Rule);

    public Dictionary<string, string> Labels() => LabelsOf(Rule, Host, Key);

    public Dictionary<string, string> Annotations() => AnnotationsOf(Rule, Host, Key, Value);

    internal static string NameOf(CompiledRule? rule) => rule?.Name ?? AlertEvaluator.HostSilentRule;

    internal static string SeverityOf(CompiledRule? rule) => rule?.Severity ?? AlertEvaluator.HostSilentSeverity;

    internal static Dictionary<string, string> LabelsOf(CompiledRule? rule, string host, string key) =>
        rule?.LabelsFor(host, key)
        ?? new(StringComparer.Ordinal) { ["alertname"] = AlertEvaluator.HostSilentRule, ["host"] = host, ["severity"] = AlertEvaluator.HostSilentSeverity };

    internal static Dictionary<string, string> AnnotationsOf(CompiledRule? rule, string host, string key, double value) =>
        rule?.AnnotationsFor(host, key, value)
        ?? new(StringComparer.Ordinal) { ["summary"] = $"{host} has sent no snapshot since it went silent" };
}
