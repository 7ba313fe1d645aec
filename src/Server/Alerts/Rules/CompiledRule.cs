using System.Globalization;

namespace Tracefleet.Server.Alerts.Rules;

/// <summary>What a rule does when its host stops sending the rule's probe (see README, "Alerts").</summary>
public enum NoDataMode
{
    /// <summary>No data is not an alert: the rule's pending and firing alerts for that host end.</summary>
    Ignore,

    /// <summary>The host raises one no-data alert for the rule (key empty), resolved when data comes back.</summary>
    Alert,

    /// <summary>The rule's alerts for that host stay as they were until data comes back.</summary>
    Keep,
}

/// <summary>Where a rule came from: the API (editable there) or the rules file (edited in the file only).</summary>
public enum RuleSource
{
    Api,
    File,
}

/// <summary>
/// A rule checked against the probe catalogue and ready to evaluate: thresholds as numbers, durations in milliseconds,
/// globs compiled, the column resolved to value positions. Immutable; built by <see cref="RuleCompiler"/>.
/// </summary>
public sealed class CompiledRule
{
    /// <summary>The averaging window's slots: at most this many, so a tracked series costs the same for any window.</summary>
    public const int MaxSlots = 60;

    internal CompiledRule(AlertRule spec, RuleSource source, ProbeDefinition probe, int plus, int minus, double threshold, bool above, double? clear)
    {
        Spec = spec;
        Source = source;
        Probe = probe;
        Plus = plus;
        Minus = minus;
        Threshold = threshold;
        Above = above;
        Clear = clear;
    }

    /// <summary>The rule as written (for the API and the store).</summary>
    public AlertRule Spec { get; }

    public RuleSource Source { get; }

    public string Name => Spec.Name!;

    public ProbeDefinition Probe { get; }

    /// <summary>The column's value position; for a net column, the one added.</summary>
    public int Plus { get; }

    /// <summary>For a net column, the value position subtracted; else -1.</summary>
    public int Minus { get; }

    public Glob? Key { get; init; }

    public Glob? Hosts { get; init; }

    public double Threshold { get; }

    /// <summary>True for <c>above</c>, false for <c>below</c>.</summary>
    public bool Above { get; }

    public double? Clear { get; }

    public long WindowMs { get; init; }

    public long ForMs { get; init; }

    public long KeepFiringForMs { get; init; }

    public NoDataMode NoData { get; init; }

    public string Severity { get; init; } = "warning";

    /// <summary>Seconds per slot of the averaging ring: 1 for windows up to a minute, else window ÷ <see cref="MaxSlots"/> rounded up.</summary>
    public int SlotSeconds => (int)Math.Max(1, (WindowSeconds + MaxSlots - 1) / MaxSlots);

    /// <summary>Slots of the averaging ring: the window in slots, rounded up (at most <see cref="MaxSlots"/>).</summary>
    public int Slots => (int)((WindowSeconds + SlotSeconds - 1) / SlotSeconds);

    /// <summary>The window in whole seconds, at least 1.</summary>
    public long WindowSeconds => Math.Max(1, WindowMs / 1000);

    /// <summary>The rule's column in one row: the value, or plus − minus for a net column (so it may be negative).</summary>
    public double ValueOf(ReadOnlySpan<ulong> values)
    {
        double plus = Plus < values.Length ? values[Plus] : 0;
        return Minus < 0 ? plus : plus - (Minus < values.Length ? values[Minus] : 0);
    }

    /// <summary>True when <paramref name="rate"/> is past the threshold (the condition holds).</summary>
    public bool Crosses(double rate) => Above ? rate > Threshold : rate < Threshold;

    /// <summary>True when a firing alert at <paramref name="rate"/> may resolve: past <see cref="Clear"/> when set, else no longer crossing.</summary>
    public bool Clears(double rate) => Clear is { } clear ? (Above ? rate < clear : rate > clear) : !Crosses(rate);

    /// <summary>The alert's labels: the rule's own, then <c>alertname</c>, <c>host</c>, <c>probe</c>, <c>severity</c> and <c>key</c> (when not empty), which win.</summary>
    public Dictionary<string, string> LabelsFor(string host, string key)
    {
        var labels = new Dictionary<string, string>(Spec.Labels ?? [], StringComparer.Ordinal)
        {
            ["alertname"] = Name,
            ["host"] = host,
            ["probe"] = Probe.Name,
            ["severity"] = Severity,
        };
        if (key.Length > 0)
        {
            labels["key"] = key;
        }

        return labels;
    }

    /// <summary>The rule's annotations with <c>{{host}}</c>, <c>{{key}}</c>, <c>{{value}}</c>, <c>{{rule}}</c> and <c>{{threshold}}</c> filled in.</summary>
    public Dictionary<string, string> AnnotationsFor(string host, string key, double value)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, template) in Spec.Annotations ?? [])
        {
            annotations[name] = template
                .Replace("{{host}}", host, StringComparison.Ordinal)
                .Replace("{{key}}", key, StringComparison.Ordinal)
                .Replace("{{value}}", Shown(value), StringComparison.Ordinal)
                .Replace("{{rule}}", Name, StringComparison.Ordinal)
                .Replace("{{threshold}}", Shown(Threshold), StringComparison.Ordinal);
        }

        return annotations;
    }

    /// <summary>A rate as people read it: whole numbers plain, others to 3 significant digits.</summary>
    public static string Shown(double value) =>
        double.IsNaN(value) ? "no data"
        : Math.Abs(value) >= 100 || value == Math.Round(value) ? Math.Round(value).ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("G3", CultureInfo.InvariantCulture);
}
