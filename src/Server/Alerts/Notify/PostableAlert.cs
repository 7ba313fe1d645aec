using System.Text.Json.Serialization;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// One alert as Alertmanager's <c>POST /api/v2/alerts</c> takes it (its <c>postableAlert</c>). Alertmanager tells alerts
/// apart by their labels; an alert whose <see cref="EndsAt"/> has passed is resolved.
/// </summary>
public sealed record PostableAlert(
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels,
    [property: JsonPropertyName("annotations")] IReadOnlyDictionary<string, string> Annotations,
    [property: JsonPropertyName("startsAt")] string StartsAt,
    [property: JsonPropertyName("endsAt")] string EndsAt,
    [property: JsonPropertyName("generatorURL"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GeneratorUrl);
