using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tracefleet.Web.Services;

/// <summary>
/// An alert rule as <c>/api/rules</c> has it. Rates are per second, averaged over <see cref="Window"/>; durations are
/// Prometheus-style strings (<c>10s</c>, <c>5m</c>, <c>1h30m</c>). Thresholds and durations are kept as the text written
/// (the server answers a number for a numeric one, and reads either), so a rule the server cannot read still lists.
/// </summary>
/// <param name="Name">Unique; the rule's address in <c>/api/rules/{name}</c>.</param>
/// <param name="Probe">The probe whose rows the rule watches, e.g. <c>pagefaults</c>.</param>
/// <param name="Column">A value column of the probe (<c>faults</c>), or its net column (kmem: <c>net</c>).</param>
/// <param name="Key">A glob on the key; null: every key, each its own alert.</param>
/// <param name="Hosts">A glob on the host name; null: every host.</param>
/// <param name="Above">Fires while the rate is above this; null when the rule fires below <see cref="Below"/>.</param>
/// <param name="Below">Fires while the rate is below this.</param>
/// <param name="Window">The span the rate is averaged over.</param>
/// <param name="For">How long the condition must hold before pending turns firing.</param>
/// <param name="Clear">Hysteresis: the rate past which a firing alert resolves; null: when the condition no longer holds.</param>
/// <param name="KeepFiringFor">How long an alert keeps firing after its condition stopped holding.</param>
/// <param name="NoData"><c>ignore</c>, <c>alert</c> or <c>keep</c>: what a host that stops sending the probe does to the alert.</param>
/// <param name="Source"><c>api</c> or <c>file</c> (a rule from the rules file is changed there only); null in what the UI sends.</param>
/// <param name="Problem">Why the server does not evaluate the rule (a probe it no longer knows); null when it does.</param>
public sealed record AlertRule(
    string Name, string Probe, string Column, string? Key, string? Hosts,
    [property: JsonConverter(typeof(ScalarJson))] string? Above,
    [property: JsonConverter(typeof(ScalarJson))] string? Below,
    [property: JsonConverter(typeof(ScalarJson))] string Window,
    [property: JsonConverter(typeof(ScalarJson))] string For,
    [property: JsonConverter(typeof(ScalarJson))] string? Clear,
    [property: JsonConverter(typeof(ScalarJson))] string KeepFiringFor,
    string NoData, string Severity, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations,
    string? Source = null, string? Problem = null)
{
    public bool FromFile => Source == "file";
}

/// <summary>What <c>POST /api/rules/preview</c> takes: a rule that need not exist, over <c>from</c>..<c>to</c> (ISO-8601 or <c>now-7d</c>).</summary>
public sealed record RulePreviewRequest(AlertRule Rule, string From, string To);

/// <summary>
/// The rule evaluated over stored history: the resolution it read (<c>1s</c>, <c>1m</c> or <c>1h</c>), how many samples,
/// and when it would have fired.
/// </summary>
public sealed record RulePreview(string Resolution, long Samples, IReadOnlyList<PreviewFiring> Firings);

/// <summary>One would-be firing: <see cref="EndsAt"/> null while still firing at the preview's end; <see cref="Peak"/> the highest rate (per second) it reached.</summary>
public sealed record PreviewFiring(string Host, string Key, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, double Peak);

/// <summary>
/// An alert now (<c>/api/alerts</c>): <see cref="State"/> is <c>pending</c> or <c>firing</c>, <see cref="Key"/> empty for a
/// host-wide alert, <see cref="Value"/> the rate (per second) last evaluated, null for no data.
/// </summary>
public sealed record ActiveAlert(
    string Rule, string Host, string Key, string State, DateTimeOffset Since, double? Value, string Severity, IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations, bool Silenced);

/// <summary>
/// One state change of an alert (<c>/api/alerts/history</c>, newest first): <see cref="From"/> and <see cref="To"/> are
/// <c>inactive</c>, <c>pending</c>, <c>firing</c> or <c>resolved</c>; <see cref="At"/> the time of the snapshot that
/// caused it; <see cref="Value"/> null for no data.
/// </summary>
public sealed record AlertTransition(
    DateTimeOffset At, string Rule, string Host, string Key, string From, string To, double? Value, bool Notified, bool Silenced);

/// <summary>The hub's <c>alert</c> event, sent to every client: one state change, as <see cref="AlertTransition"/> with the rule's severity.</summary>
public sealed record LiveAlert(
    DateTimeOffset At, string Rule, string Host, string Key, string From, string To, double? Value, string Severity, bool Notified, bool Silenced);

/// <summary>A silence (<c>/api/silences</c>): rule, host and key are globs, null matching anything; times UTC.</summary>
public sealed record Silence(
    [property: JsonConverter(typeof(ScalarJson))] string Id, string? Rule, string? Host, string? Key, DateTimeOffset EndsAt, string Comment, DateTimeOffset CreatedAt);

/// <summary>What <c>POST /api/silences</c> takes: globs (null: any), and either an end or a duration such as <c>2h</c>.</summary>
public sealed record NewSilence(string? Rule, string? Host, string? Key, DateTimeOffset? EndsAt, string? Duration, string Comment)
{
    /// <summary>A glob that matches exactly <paramref name="name"/>: its <c>*</c>, <c>?</c> and <c>\</c> taken literally.</summary>
    public static string Exactly(string name) => name.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("*", "\\*", StringComparison.Ordinal).Replace("?", "\\?", StringComparison.Ordinal);
}

/// <summary>
/// A value the server writes as a number when it is one and as a string otherwise (a threshold, a duration, an id), kept
/// as its text; written back the same way.
/// </summary>
public sealed class ScalarJson : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw new JsonException("expected a number or a string"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (AlertText.TryRate(value, out var number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
