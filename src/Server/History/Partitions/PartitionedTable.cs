using System.Globalization;
using Tracefleet.Server.History.Maintenance;

namespace Tracefleet.Server.History.Partitions;

/// <summary>
/// A table ranged by time into partitions of <see cref="WidthMs"/> each, aligned to the Unix epoch, named
/// <c>{Parent}_yyyyMMdd</c> (UTC date of the start) beside its <c>{Parent}_default</c>. <see cref="Parent"/> is the table
/// ranged: Snapshots and RawBlocks themselves, or a tier's list partition of Rollups.
/// </summary>
internal sealed record PartitionedTable(string Parent, string Column, long WidthMs, RetentionTier Retention)
{
    /// <summary>
    /// Widths: raw tiers by day (kept 24 h by default, so a day is the finest width that leaves few partitions), minutes by day
    /// (30 days by default: about 31 partitions), hours by week and days by 28 days (365 days by default: about 53 and 14).
    /// Each width is a whole number of its rows' spans (a raw block, a bucket), so a partition that ends by a cutoff holds only
    /// rows that ended by it.
    /// </summary>
    public static readonly PartitionedTable[] All =
    [
        new("snapshots", "startunixms", Tiers.Tiers.DayMs, RetentionTier.Raw),
        new("rawblocks", "blockstartunixms", Tiers.Tiers.DayMs, RetentionTier.Raw),
        new("rollups_minute", "bucketstartunixms", Tiers.Tiers.DayMs, RetentionTier.Minute),
        new("rollups_hour", "bucketstartunixms", 7 * Tiers.Tiers.DayMs, RetentionTier.Hour),
        new("rollups_day", "bucketstartunixms", 28 * Tiers.Tiers.DayMs, RetentionTier.Hour),
    ];

    public string Default => Parent + "_default";

    /// <summary>Raw snapshots go only once rolled up; a partition of them holding one above the mark is kept.</summary>
    public bool HoldsRawSnapshots => Parent == "snapshots";

    /// <summary>
    /// A tier of rollup buckets: what queries keep of settled buckets (<see cref="Queries.SettledBucketCache"/>) trusts a tier's
    /// buckets after its oldest, which a dropped partition breaks while older rows wait in the DEFAULT partition.
    /// </summary>
    public bool HoldsRollups => Parent.StartsWith("rollups_", StringComparison.Ordinal);

    /// <summary>The start of the partition holding <paramref name="unixMs"/> (floor, also before 1970).</summary>
    public long Start(long unixMs) => unixMs - (((unixMs % WidthMs) + WidthMs) % WidthMs);

    public string Name(long start) =>
        $"{Parent}_{DateTimeOffset.FromUnixTimeMilliseconds(start).UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    public long Cutoff((long Raw, long Minute, long Hour) cutoffs) => Retention switch
    {
        RetentionTier.Raw => cutoffs.Raw,
        RetentionTier.Minute => cutoffs.Minute,
        _ => cutoffs.Hour,
    };
}

/// <summary>Which of <see cref="HistoryMaintenance.Cutoffs"/> a table's rows go by.</summary>
internal enum RetentionTier
{
    Raw,
    Minute,
    Hour,
}
