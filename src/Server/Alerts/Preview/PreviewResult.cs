using System.Text.Json.Serialization;

namespace Tracefleet.Server.Alerts.Preview;

/// <summary>
/// When a rule would have fired: each firing with its host, key, start, end (null when still firing at the range's end)
/// and peak (the highest per-second rate of the rule's column in one step while it fired). <see cref="Resolution"/> is
/// the step the history was read at (<c>1s</c>, <c>1m</c> or <c>1h</c>); <see cref="Samples"/> the (host, step) samples evaluated.
/// </summary>
public sealed record PreviewResult(string Resolution, long Samples, IReadOnlyList<PreviewFiring> Firings)
{
    /// <summary>The range when a preview names none: the last 24 hours.</summary>
    public const long DefaultRangeMs = 86_400_000;

    /// <summary>Why no answer was given (the range holds too much at its resolution); null when there is one.</summary>
    [JsonIgnore]
    public string? Problem { get; init; }
}

/// <summary>One firing found by a preview; times UTC.</summary>
public sealed record PreviewFiring(string Host, string Key, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, double Peak);
