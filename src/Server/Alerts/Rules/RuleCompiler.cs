using System.Globalization;
using System.Text.RegularExpressions;

namespace Tracefleet.Server.Alerts.Rules;

/// <summary>
/// Checks a rule as written and compiles it. Every problem is reported with the field it is in (the JSON name, as
/// <c>POST /api/rules</c> takes it), so one request names all that is wrong with it.
/// </summary>
public static partial class RuleCompiler
{
    public const int MaxNameLength = 128;
    public const long MaxWindowMs = 24 * 3_600_000L;
    public const long MaxForMs = 7 * 86_400_000L;
    public const long DefaultWindowMs = 10_000;

    /// <summary>Labels a rule may add, and characters in each value: labels identify an alert in every receiver.</summary>
    public const int MaxLabels = 32;

    public const int MaxLabelValueLength = 1024;

    /// <summary>Annotations a rule may have.</summary>
    public const int MaxAnnotations = 32;

    /// <summary>The compiled rule, or null with the problems by field (never empty then).</summary>
    public static CompiledRule? Compile(AlertRule rule, RuleSource source, Func<string, ProbeDefinition?> findProbe, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(findProbe);
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string problem)
        {
            if (!problems.TryGetValue(field, out var list))
            {
                problems[field] = list = [];
            }

            list.Add(problem);
        }

        if (string.IsNullOrWhiteSpace(rule.Name))
        {
            Add("name", "is required");
        }
        else if (rule.Name == Evaluation.AlertEvaluator.HostSilentRule)
        {
            // Reserved here, so the rules file cannot take it either: its alerts would be mistaken for the server's own.
            Add("name", $"\"{rule.Name}\" is the server's own host-silent alert");
        }
        else if (!IsName(rule.Name))
        {
            Add("name", $"must be 1 to {MaxNameLength} letters, digits, '_', '-', '.' or ':', starting with a letter, digit or '_' (it becomes the alertname label and a URL path)");
        }

        ProbeDefinition? probe = null;
        if (string.IsNullOrWhiteSpace(rule.Probe))
        {
            Add("probe", "is required");
        }
        else if ((probe = findProbe(rule.Probe)) is null)
        {
            Add("probe", $"\"{rule.Probe}\" is not a probe this server knows (GET /api/probes lists them)");
        }

        int plus = -1, minus = -1;
        if (string.IsNullOrWhiteSpace(rule.Column))
        {
            Add("column", "is required");
        }
        else if (probe is not null)
        {
            if (ColumnMeasure.Of(probe, rule.Column) is { } measure)
            {
                (plus, minus) = (measure.Plus, measure.Minus);
            }
            else
            {
                Add("column", $"\"{rule.Column}\" is not a column of {probe.Name} (its columns: {string.Join(", ", ColumnMeasure.NamesOf(probe))})");
            }
        }

        var key = GlobOf(rule.Key, "key", Add);
        var hosts = GlobOf(rule.Hosts, "hosts", Add);

        var above = NumberOf(rule.Above, "above", Add);
        var below = NumberOf(rule.Below, "below", Add);
        var clear = NumberOf(rule.Clear, "clear", Add);
        if (rule.Above is null && rule.Below is null)
        {
            Add("above", "one of above or below is required");
        }
        else if (rule.Above is not null && rule.Below is not null)
        {
            Add("below", "give above or below, not both");
        }
        else if (clear is { } c && (above is { } a && c > a || below is { } b && c < b))
        {
            Add("clear", above is not null
                ? "must not be above the `above` threshold (the alert resolves once the rate falls below clear)"
                : "must not be below the `below` threshold (the alert resolves once the rate rises above clear)");
        }

        var window = DurationOf(rule.Window, "window", DefaultWindowMs, 1_000, MaxWindowMs, Add);
        var pendingFor = DurationOf(rule.For, "for", 0, 0, MaxForMs, Add);
        var keepFiringFor = DurationOf(rule.KeepFiringFor, "keepFiringFor", 0, 0, MaxForMs, Add);

        var noData = NoDataMode.Ignore;
        if (rule.NoData is not null && !Enum.TryParse(rule.NoData, ignoreCase: true, out noData) || !Enum.IsDefined(noData))
        {
            Add("noData", $"\"{rule.NoData}\" is none of ignore, alert, keep");
        }

        var severity = rule.Severity ?? "warning";
        if (severity.Length is 0 or > 64 || severity.Any(char.IsControl))
        {
            Add("severity", "must be 1 to 64 characters");
        }

        if (rule.Labels is { Count: > MaxLabels })
        {
            Add("labels", $"{rule.Labels.Count} labels; at most {MaxLabels}");
        }

        if (rule.Annotations is { Count: > MaxAnnotations })
        {
            Add("annotations", $"{rule.Annotations.Count} annotations; at most {MaxAnnotations}");
        }

        // Past the count, one problem is enough: each of 100,000 labels need not be named.
        foreach (var (label, value) in rule.Labels is { Count: <= MaxLabels } labels ? labels : [])
        {
            if (label.Length > 128 || value is null || value.Length > MaxLabelValueLength)
            {
                Add("labels", $"\"{Shown(label)}\" must have a name of at most 128 characters and a value of at most {MaxLabelValueLength}");
            }

            if (!LabelName().IsMatch(label))
            {
                Add("labels", $"\"{Shown(label)}\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
            else if (label is "alertname" or "host" or "key" or "probe" or "severity")
            {
                Add("labels", $"\"{label}\" is set by the server (from the rule's name, the host, the key, the probe or severity)");
            }
        }

        foreach (var (name, text) in rule.Annotations is { Count: <= MaxAnnotations } annotations ? annotations : [])
        {
            if (!LabelName().IsMatch(name))
            {
                Add("annotations", $"\"{name}\" is not an annotation name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
            else if (text is null || text.Length > 2048)
            {
                Add("annotations", $"\"{name}\" must be 0 to 2048 characters");
            }
        }

        errors = problems.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        if (errors.Count > 0 || probe is null)
        {
            return null;
        }

        return new CompiledRule(rule, source, probe, plus, minus, (above ?? below)!.Value, above is not null, clear)
        {
            Key = key,
            Hosts = hosts,
            WindowMs = window,
            ForMs = pendingFor,
            KeepFiringForMs = keepFiringFor,
            NoData = noData,
            Severity = severity,
        };
    }

    /// <summary>True when <paramref name="name"/> is one a rule may have.</summary>
    public static bool IsName(string name) => name.Length is > 0 and <= MaxNameLength && NameShape().IsMatch(name);

    /// <summary>All of a rule's problems on one line each: <c>field: reason</c>.</summary>
    public static IEnumerable<string> Describe(IReadOnlyDictionary<string, string[]> errors) =>
        errors.SelectMany(e => e.Value.Select(reason => $"{e.Key}: {reason}"));

    private static string Shown(string text) => text.Length <= 32 ? text : text[..32] + "…";

    private static Glob? GlobOf(string? text, string field, Action<string, string> add)
    {
        if (text is null)
        {
            return null;
        }

        var glob = Glob.Parse(text, out var problem);
        if (glob is null)
        {
            add(field, problem!);
        }

        return glob;
    }

    private static double? NumberOf(string? text, string field, Action<string, string> add)
    {
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return number;
        }

        add(field, $"\"{(text.Length <= 32 ? text : text[..32] + "…")}\" is not a number (a rate per second, such as 5000 or 0.5)");
        return null;
    }

    private static long DurationOf(string? text, string field, long absent, long min, long max, Action<string, string> add)
    {
        if (text is null)
        {
            return absent;
        }

        var ms = RuleDuration.Parse(text, out var problem);
        if (ms is null)
        {
            add(field, problem!);
            return absent;
        }

        if (ms < min || ms > max)
        {
            add(field, $"must be from {RuleDuration.Format(min)} to {RuleDuration.Format(max)}");
        }

        return ms.Value;
    }

    [GeneratedRegex(@"\A[A-Za-z0-9_][A-Za-z0-9_.:\-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NameShape();

    [GeneratedRegex(@"\A[a-zA-Z_][a-zA-Z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelName();
}
