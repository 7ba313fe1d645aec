namespace Tracefleet.Server.History.Tiers;

/// <summary>The rollup tiers, stored as small integers; raw per-second snapshots are not a tier row.</summary>
public enum Tier
{
    Minute = 1,
    Hour = 2,

    /// <summary>Days answer long ranges (a week is 7 buckets, not 168); kept as long as the hour tier.</summary>
    Day = 3,
}

public static class Tiers
{
    public const long MinuteMs = 60_000;
    public const long HourMs = 3_600_000;
    public const long DayMs = 86_400_000;

    /// <summary>Coarsest first: the order in which a query tries them.</summary>
    public static readonly Tier[] CoarsestFirst = [Tier.Day, Tier.Hour, Tier.Minute];

    public static long BucketMs(this Tier tier) => tier switch { Tier.Day => DayMs, Tier.Hour => HourMs, _ => MinuteMs };

    /// <summary>The start of the bucket holding <paramref name="unixMs"/> (floor, also for times before 1970).</summary>
    public static long BucketStart(this Tier tier, long unixMs)
    {
        var size = tier.BucketMs();
        return unixMs - (((unixMs % size) + size) % size);
    }
}
