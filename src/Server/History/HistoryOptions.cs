using System.ComponentModel.DataAnnotations;

namespace Tracefleet.Server.History;

/// <summary>Configuration section <c>History</c>: how long each tier is kept and how big the database may grow.</summary>
public sealed class HistoryOptions
{
    public const string Section = "History";

    /// <summary>
    /// Per-second snapshots are kept this long. They are kept at least as long as ingest accepts a snapshot
    /// (Limits:MaxSnapshotAgeSeconds + MaxClockSkewSeconds), because a resend is recognised by its stored row.
    /// </summary>
    public TimeSpan RawRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>1-minute rollups are kept this long: at least as long as raw snapshots (<see cref="HistoryOptionsValidator"/>).</summary>
    public TimeSpan MinuteRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>1-hour (and 1-day) rollups are kept this long: at least <see cref="MinuteRetention"/>.</summary>
    public TimeSpan HourRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The database file's size cap in MiB; 0 = no cap. Past it the oldest data goes, finest tier first.</summary>
    [Range(0, 10_000_000)]
    public long MaxDatabaseMb { get; set; }

    /// <summary>Pause between maintenance passes (rollups, retention, size cap).</summary>
    [Range(1, 3600)]
    public int MaintenanceIntervalSeconds { get; set; } = 10;

    /// <summary>Snapshots read per rollup pass, at most; bounds the memory a pass holds (its buckets) before it writes them.</summary>
    [Range(1, 1_000_000)]
    public int RollupBatchSnapshots { get; set; } = 2000;

    /// <summary>Rollup buckets written per writer job, at most; bounds how long one job holds the writer (ingest's batches run between jobs).</summary>
    [Range(1, 1_000_000)]
    public int RollupChunkBuckets { get; set; } = Maintenance.Rollups.DefaultChunkBuckets;

    /// <summary>
    /// MiB of settled rollup buckets' fleet-wide sums kept between fleet-wide tops (<see cref="Queries.SettledBucketCache"/>);
    /// 0 keeps none. Past it, the buckets used longest ago go.
    /// </summary>
    [Range(0, 1_000_000)]
    public int QueryCacheMb { get; set; } = 128;

    /// <summary>Rows deleted per writer job, at most, for the same reason.</summary>
    [Range(1, 1_000_000)]
    public int DeleteBatchRows { get; set; } = 5000;
}
