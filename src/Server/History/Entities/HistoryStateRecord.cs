namespace Tracefleet.Server.History.Entities;

/// <summary>
/// The one row of rollup progress: every snapshot with an id up to <see cref="RolledUpToSnapshotId"/> is in
/// every rollup tier. Snapshot ids only grow (AUTOINCREMENT), so this and the pass under way are the whole state a pass needs.
/// </summary>
public sealed class HistoryStateRecord
{
    public int Id { get; set; }

    public long RolledUpToSnapshotId { get; set; }

    /// <summary>
    /// The last snapshot id of the pass whose buckets are being committed (chunk by chunk), or 0 when none is: a pass cut
    /// short is finished over the same snapshots, and its buckets with <see cref="RollupRecord.MergedToSnapshotId"/> at
    /// this id are not merged again.
    /// </summary>
    public long RollupPassToSnapshotId { get; set; }

    /// <summary>
    /// Every hour bucket ending by this time (Unix ms) has been built from its closed minutes (<see cref="Maintenance.Folding"/>):
    /// queries use hour buckets only before it, and a rollup pass merges a snapshot into its hour only when the hour ends by it.
    /// </summary>
    public long HoursFoldedBeforeUnixMs { get; set; }

    /// <summary>As <see cref="HoursFoldedBeforeUnixMs"/>, for day buckets built from their hours.</summary>
    public long DaysFoldedBeforeUnixMs { get; set; }

    /// <summary>
    /// Every minute bucket ending by this time (Unix ms) is settled: its on-time snapshots are in it, and only a late one
    /// changes it again (see <see cref="Maintenance.Rollups.SettleAsync"/>). Queries keep settled buckets' fleet-wide sums
    /// (<see cref="Queries.SettledBucketCache"/>).
    /// </summary>
    public long SettledBeforeUnixMs { get; set; }

    /// <summary>
    /// Counts the rollup chunks that changed a settled bucket (a minute ending by <see cref="SettledBeforeUnixMs"/>, a built
    /// hour or day): what a query kept of settled buckets is good while this has not moved.
    /// </summary>
    public long SettledRevision { get; set; }
}
