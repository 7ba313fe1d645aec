using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Entities;

/// <summary>One host's probe over one minute or hour: per key count, sum, min, max, packed (see <c>RollupPayload</c>).</summary>
public sealed class RollupRecord
{
    public long Id { get; set; }

    public Tier Tier { get; set; }

    public long HostId { get; set; }

    public Probe Probe { get; set; }

    public long BucketStartUnixMs { get; set; }

    public required byte[] Payload { get; set; }

    /// <summary>
    /// The rollup pass that last wrote this bucket: it holds every snapshot of its own with an id up to this one. A pass
    /// commits its buckets in chunks and moves <see cref="HistoryStateRecord.RolledUpToSnapshotId"/> last, so after a
    /// crash between chunks this says which buckets already hold the pass's snapshots (0: written before passes were chunked).
    /// </summary>
    public long MergedToSnapshotId { get; set; }
}
