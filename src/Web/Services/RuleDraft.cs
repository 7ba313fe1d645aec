
namespace Tracefleet.Web.Services;

/// <summary>
/// An alert rule as its form holds it: every field text, as typed. <see cref="Build"/> turns it into the rule the API
/// takes, or says which fields cannot be read (a threshold that is no number, a label line without <c>=</c>); what the
/// rule means (a column its probe lacks, a duration) is the server's to judge.
/// </summary>
public sealed class RuleDraft
{
    public string Name { get; set; } = "";

    public string Probe { get; set; } = "";

    public string Column { get; set; } = "";

    /// <summary>A key glob; empty: no key (each key, or the host's total, as the server reads it).</summary>
    public string Key { get; set; } = "";

    /// <summary>A glob on the host name; empty: every host.</summary>
    public string Hosts { get; set; } = "";

    public string Above { get; set; } = "";

    public string Below { get; set; } = "";

    public string Window { get; set; } = "1m";

    public string For { get; set; } = "0s";

    public string Clear { get; set; } = "";

    public string KeepFiringFor { get; set; } = "0s";

    public string NoData { get; set; } = "ignore";

    public string Severity { get; set; } = "warning";

    /// <summary>One <c>name=value</c> a line.</summary>
    public string Labels { get; set; } = "";

    /// <summary>One <c>name=value</c> a line; values may hold <c>{{host}}</c>, <c>{{key}}</c>, <c>{{value}}</c>.</summary>
    public string Annotations { get; set; } = "";

    /// <summary>A new rule on <paramref name="probe"/>'s first column.</summary>
    public static RuleDraft New(ProbeDefinition probe) => new() { Probe = probe.Name, Column = probe.Columns[0].Name };

    public static RuleDraft Of(AlertRule rule) => new()
    {
        Name = rule.Name,
        Probe = rule.Probe,
        Column = rule.Column,
        Key = rule.Key ?? "",
        Hosts = rule.Hosts ?? "",
        Above = rule.Above ?? "",
        Below = rule.Below ?? "",
        Window = rule.Window,
        For = rule.For,
        Clear = rule.Clear ?? "",
        KeepFiringFor = rule.KeepFiringFor,
        NoData = rule.NoData,
        Severity = rule.Severity,
        Labels = Lines(rule.Labels),
        Annotations = Lines(rule.Annotations),
    };

    /// <summary>The rule, or null with the reasons by field (named as in the API's JSON) when a field cannot be read.</summary>
    public (AlertRule? Rule, IReadOnlyDictionary<string, IReadOnlyList<string>> Problems) Build()
    {
        var problems = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var above = Number(Above, "above", problems);
        var below = Number(Below, "below", problems);
        var clear = Number(Clear, "clear", problems);
        var labels = Pairs(Labels, "labels", problems);
        var annotations = Pairs(Annotations, "annotations", problems);
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var rule = new AlertRule(
            Name.Trim(), Probe, Column, Key.Length == 0 ? null : Key, Optional(Hosts), above, below, Window.Trim(), For.Trim(),
            clear, KeepFiringFor.Trim(), NoData, Severity.Trim(), labels, annotations);
        return (rule, problems);
    }

    /// <summary>The threshold as typed, trimmed; null when empty or (with the reason) when it is no number.</summary>
    private static string? Number(string text, string field, Dictionary<string, IReadOnlyList<string>> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (AlertText.TryRate(text.Trim(), out _))
        {
            return text.Trim();
        }

        problems[field] = [$"\"{text.Trim()}\" is not a number (per second, e.g. 1000 or 2.5)"];
        return null;
    }

    private static Dictionary<string, string> Pairs(string text, string field, Dictionary<string, IReadOnlyList<string>> problems)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems[field] = [.. problems.GetValueOrDefault(field, []), $"line {i + 1} is not name=value"];
                continue;
            }

            pairs[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }

        return pairs;
    }

    /// <summary>The text trimmed; null when it is empty or blank (an optional field left out).</summary>
    internal static string? Optional(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Lines(IReadOnlyDictionary<string, string> pairs) => string.Join("\n", pairs.Select(p => $"{p.Key}={p.Value}"));
}
