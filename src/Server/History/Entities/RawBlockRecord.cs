namespace Tracefleet.Server.History.Entities;

/// <summary>
/// One host's raw snapshots of one probe over a closed block of <see cref="Maintenance.RawPacking.BlockMs"/>, packed once
/// they were rolled up (see <see cref="Maintenance.RawPacking"/>): the rows they had in Snapshots, in one compressed payload
/// (<see cref="Encoding.RawBlockCodec"/>), and their identities apart (<see cref="Encoding.BlockSequences"/>) so a resend is
/// still recognised. (host, probe, block start) is unique.
/// </summary>
public sealed class RawBlockRecord
{
    public long Id { get; set; }

    public long HostId { get; set; }

    public Probe Probe { get; set; }

    /// <summary>The block's start, Unix ms, a multiple of <see cref="Maintenance.RawPacking.BlockMs"/>; its snapshots start in [this, this + BlockMs).</summary>
    public long BlockStartUnixMs { get; set; }

    /// <summary>The earliest snapshot start in the block, Unix ms.</summary>
    public long FirstStartUnixMs { get; set; }

    /// <summary>The latest snapshot start in the block, Unix ms.</summary>
    public long LastStartUnixMs { get; set; }

    public int SnapshotCount { get; set; }

    /// <summary>
    /// The least and greatest sequence number among the block's snapshots (any agent epoch): the writer finds the blocks
    /// that may hold a snapshot's (epoch, sequence) by them, whatever the snapshot's start, so a sequence number reused
    /// for another second (a restored state directory) is still a conflict once the first is packed.
    /// </summary>
    public long FirstSequence { get; set; }

    /// <summary>See <see cref="FirstSequence"/>.</summary>
    public long LastSequence { get; set; }

    /// <summary>Bumped at each rewrite (late snapshots merged in): a rewrite made from an older revision is refused.</summary>
    public long Revision { get; set; }

    public required byte[] Sequences { get; set; }

    public required byte[] Payload { get; set; }
}
