namespace Tracefleet.Server.History.Entities;

/// <summary>One stored snapshot; (host, epoch, sequence) is unique, which is what makes a resend harmless.</summary>
public sealed class SnapshotRecord
{
    public long Id { get; set; }

    public long HostId { get; set; }

    public Probe Probe { get; set; }

    public long StartUnixMs { get; set; }

    public int DurationMs { get; set; }

    /// <summary>The agent epoch; an unsigned 64-bit number stored in SQLite's signed INTEGER bit for bit.</summary>
    public long Epoch { get; set; }

    public long Sequence { get; set; }

    /// <summary>Lines of the interval the agent skipped; the wire's unsigned 32-bit count needs a 64-bit column.</summary>
    public long MalformedLines { get; set; }

    /// <summary>
    /// The snapshot's digest as the agent sent it (see <c>SnapshotDigest</c>): a resend of the same sequence with another
    /// digest is a conflict, not a resend. Null for snapshots stored before digests were kept (taken as resends).
    /// </summary>
    public long? Digest { get; set; }

    /// <summary>The rows, packed (see <c>SnapshotPayload</c>): key ids and values as varints.</summary>
    public required byte[] Payload { get; set; }
}
