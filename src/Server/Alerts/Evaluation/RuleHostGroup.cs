using Tracefleet.Server.Alerts.Rules;

namespace Tracefleet.Server.Alerts.Evaluation;

/// <summary>One rule on one host: its tracked keys, and what the evaluator knows of the host's stream of the rule's probe.</summary>
internal sealed class RuleHostGroup(CompiledRule rule, string host)
{
    public CompiledRule Rule { get; } = rule;

    public string Host { get; } = host;

    public Dictionary<string, SeriesTracker> Series { get; } = new(StringComparer.Ordinal);

    /// <summary>Start of the first sample seen since the group began (or since data came back); -1 before any.</summary>
    public long ObservedSinceUnixMs { get; set; } = -1;

    /// <summary>End of the last sample evaluated: an older sample is out of order and skipped.</summary>
    public long LastEndUnixMs { get; set; } = long.MinValue;

    /// <summary>Server time the last sample arrived; 0 for a group restored after a restart and not heard from since.</summary>
    public long LastSeenUnixMs { get; set; }

    /// <summary>The group's no-data alert (key empty), when the rule's <c>no_data</c> is <c>alert</c>.</summary>
    public SeriesTracker? NoData { get; set; }

    public SeriesTracker NewTracker() => new(Rule.Slots, Rule.SlotSeconds);

    public bool WindowKnownAt(long unixMs) => ObservedSinceUnixMs >= 0 && unixMs - ObservedSinceUnixMs >= Rule.WindowMs;
}
