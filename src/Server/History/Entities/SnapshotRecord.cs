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

    public int MalformedLines { get; set; }

    /// <summary>The rows, packed (see <c>SnapshotPayload</c>): key ids and values as varints.</summary>
    public required byte[] Payload { get; set; }
}
