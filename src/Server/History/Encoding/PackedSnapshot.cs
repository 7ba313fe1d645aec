namespace Tracefleet.Server.History.Encoding;

/// <summary>
/// One raw snapshot as a block of the raw tier holds it: what its row in Snapshots held, its rows decoded (sorted by key id).
/// <see cref="Epoch"/> is the agent's unsigned epoch stored bit for bit in a signed 64-bit number, as in the Snapshots table.
/// </summary>
public sealed record PackedSnapshot(
    long StartUnixMs, int DurationMs, long Epoch, long Sequence, long MalformedLines, long? Digest, IReadOnlyList<KeyRow> Rows)
{
    /// <summary>The order of a block's snapshots: by start, then by agent epoch and sequence (a restarted agent may reuse a second).</summary>
    public static int Compare(PackedSnapshot a, PackedSnapshot b) =>
        a.StartUnixMs != b.StartUnixMs ? a.StartUnixMs.CompareTo(b.StartUnixMs)
        : a.Epoch != b.Epoch ? a.Epoch.CompareTo(b.Epoch)
        : a.Sequence.CompareTo(b.Sequence);
}
