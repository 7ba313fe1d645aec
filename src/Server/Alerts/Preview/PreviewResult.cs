using System.Text.Json.Serialization;

namespace Tracefleet.Server.Alerts.Preview;

/// <summary>
/// When a rule would have fired: each firing with its host, key, start, end (null when still firing at the range's end)
/// and peak (the highest rate, per second over the rule's window, while it fired). <see cref="Resolution"/> is
/// the step the history was read at (<c>1s</c>, <c>1m</c> or <c>1h</c>); <see cref="Samples"/> the (host, step) samples evaluated.
/// </summary>
public sealed record PreviewResult(string Resolution, long Samples, IReadOnlyList<PreviewFiring> Firings)
{
    /// <summary>Firings listed at most (the earliest); <see cref="Truncated"/> says when there were more.</summary>
    public const int MaxFirings = 1000;

    /// <summary>True when more than <see cref="MaxFirings"/> firings were found and only the earliest are listed.</summary>
    public bool Truncated { get; init; }

    /// <summary>The range when a preview names none: the last 24 hours.</summary>
    public const long DefaultRangeMs = 86_400_000;

    /// <summary>Why no answer was given (the range holds too much at its resolution); null when there is one.</summary>
    [JsonIgnore]
    public string? Problem { get; init; }
}

/// <summary>One firing found by a preview; times UTC.</summary>
public sealed record PreviewFiring(string Host, string Key, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, double Peak);
