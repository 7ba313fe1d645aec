namespace Tracefleet.Server.History.Entities;

/// <summary>
/// The one row of rollup progress: every snapshot with an id up to <see cref="RolledUpToSnapshotId"/> is in
/// both rollup tiers. Snapshot ids only grow (AUTOINCREMENT), so this is the whole state a pass needs.
/// </summary>
public sealed class HistoryStateRecord
{
    public int Id { get; set; }

    public long RolledUpToSnapshotId { get; set; }
}
