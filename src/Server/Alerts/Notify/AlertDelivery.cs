using System.Text.Json.Serialization;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>What became of one attempt to deliver a notice (or a queued one), as <c>GET /api/alerts/deliveries</c> lists it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeliveryOutcome>))]
public enum DeliveryOutcome
{
    /// <summary>The receiver answered 2xx.</summary>
    [JsonStringEnumMemberName("delivered")]
    Delivered,

    /// <summary>This attempt failed (network error, timeout, 5xx, 429); another follows after a pause.</summary>
    [JsonStringEnumMemberName("retrying")]
    Retrying,

    /// <summary>Given up: a 4xx other than 429 (or another answer that is not 2xx), or the last attempt failed.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Never attempted: the receiver's queue (<c>Alerts:QueueCapacity</c>) was full.</summary>
    [JsonStringEnumMemberName("dropped")]
    Dropped,
}

/// <summary>Outcomes by the names the API and <c>/metrics</c> give them.</summary>
public static class DeliveryOutcomes
{
    /// <summary>The outcome in lower case, as its <see cref="JsonStringEnumMemberNameAttribute"/> spells it: <c>retrying</c>.</summary>
    public static string NameOf(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Delivered => "delivered",
        DeliveryOutcome.Retrying => "retrying",
        DeliveryOutcome.Failed => "failed",
        DeliveryOutcome.Dropped => "dropped",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}

/// <summary>One entry of the delivery log.</summary>
/// <param name="At">When the attempt ended (or the notice was dropped), UTC.</param>
/// <param name="Receiver">The webhook's <c>Name</c>, or <c>alertmanager</c>.</param>
/// <param name="Fingerprint">The alert's; null for a resend to Alertmanager of every firing alert at once.</param>
/// <param name="Status"><c>firing</c> or <c>resolved</c>.</param>
/// <param name="Alerts">Alerts the POST carried: 1, or the firing alerts of a resend.</param>
/// <param name="Attempt">1 for the first attempt, up to the last (5); 0 when the notice was dropped before any.</param>
/// <param name="HttpStatus">The receiver's answer; null when none came (network error, timeout, dropped).</param>
/// <param name="Error">Why it did not deliver: the exception's message, or the start of the receiver's answer.</param>
public sealed record AlertDelivery(
    DateTimeOffset At,
    string Receiver,
    string? Fingerprint,
    string Status,
    int Alerts,
    int Attempt,
    DeliveryOutcome Outcome,
    int? HttpStatus,
    string? Error);
