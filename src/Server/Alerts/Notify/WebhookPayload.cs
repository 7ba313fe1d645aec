using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// Alertmanager's webhook payload, version 4, for a group of one alert: what an Alertmanager <c>webhook_config</c>
/// receiver gets, so tools written for it read Tracefleet's notices unchanged. Its group is grouped by every label, so
/// <see cref="GroupLabels"/> and <see cref="CommonLabels"/> are the alert's labels and <see cref="CommonAnnotations"/> its annotations.
/// </summary>
public sealed record WebhookPayload(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("groupKey")] string GroupKey,
    [property: JsonPropertyName("truncatedAlerts")] int TruncatedAlerts,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("receiver")] string Receiver,
    [property: JsonPropertyName("groupLabels")] IReadOnlyDictionary<string, string> GroupLabels,
    [property: JsonPropertyName("commonLabels")] IReadOnlyDictionary<string, string> CommonLabels,
    [property: JsonPropertyName("commonAnnotations")] IReadOnlyDictionary<string, string> CommonAnnotations,
    [property: JsonPropertyName("externalURL")] string ExternalUrl,
    [property: JsonPropertyName("alerts")] IReadOnlyList<WebhookAlert> Alerts)
{
    /// <summary>The payload <paramref name="receiver"/> gets for <paramref name="notice"/>.</summary>
    public static WebhookPayload From(AlertNotice notice, string receiver, string? externalUrl)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var status = StatusOf(notice.Phase);
        var alert = new WebhookAlert(
            status, notice.Labels, notice.Annotations, AlertTimes.Format(notice.StartsAt),
            notice.Phase == AlertPhase.Resolved && notice.EndsAt is { } ends ? AlertTimes.Format(ends) : AlertTimes.Unset,
            GeneratorUrls.For(externalUrl, notice.Labels) ?? "", notice.Fingerprint);
        return new WebhookPayload(
            "4", GroupKeyOf(notice.Labels), 0, status, receiver, notice.Labels, notice.Labels, notice.Annotations,
            externalUrl?.TrimEnd('/') ?? "", [alert]);
    }

    /// <summary><c>firing</c> or <c>resolved</c>, as Alertmanager spells them.</summary>
    public static string StatusOf(AlertPhase phase) => phase == AlertPhase.Resolved ? "resolved" : "firing";

    /// <summary>The body as it is sent (and signed): UTF-8 JSON.</summary>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>Alertmanager's group key for a root route grouped by every label: <c>{}:{a="1", b="2"}</c>, labels sorted.</summary>
    private static string GroupKeyOf(IReadOnlyDictionary<string, string> labels)
    {
        var key = new StringBuilder("{}:{");
        var first = true;
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            key.Append(first ? "" : ", ").Append(name).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            first = false;
        }

        return key.Append('}').ToString();
    }
}

/// <summary>One alert of a <see cref="WebhookPayload"/>. <see cref="EndsAt"/> is <see cref="AlertTimes.Unset"/> while it fires.</summary>
public sealed record WebhookAlert(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels,
    [property: JsonPropertyName("annotations")] IReadOnlyDictionary<string, string> Annotations,
    [property: JsonPropertyName("startsAt")] string StartsAt,
    [property: JsonPropertyName("endsAt")] string EndsAt,
    [property: JsonPropertyName("generatorURL")] string GeneratorUrl,
    [property: JsonPropertyName("fingerprint")] string Fingerprint);
