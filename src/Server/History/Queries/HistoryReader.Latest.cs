using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.History.Queries;

/// <summary>A host's latest snapshot of a probe, from its rows and from its packed blocks.</summary>
public sealed partial class HistoryReader
{
    /// <summary>The latest row of Snapshots starting no later than <paramref name="notAfterUnixMs"/> (the last stored of equal starts), or null.</summary>
    public async Task<PackedSnapshot?> LatestRowAsync(long hostId, Probe probe, long notAfterUnixMs, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT StartUnixMs, DurationMs, Epoch, Sequence, MalformedLines, Digest, Payload FROM Snapshots
            WHERE HostId = @host AND Probe = @probe AND StartUnixMs <= @notAfter ORDER BY StartUnixMs DESC, Id DESC LIMIT 1
            """,
            ("@host", hostId), ("@probe", (long)probe.Id), ("@notAfter", notAfterUnixMs));
        await using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await row.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new PackedSnapshot(row.GetInt64(0), row.GetInt32(1), row.GetInt64(2), row.GetInt64(3), row.GetInt64(4),
                row.IsDBNull(5) ? null : row.GetInt64(5), SnapshotPayload.Decode((byte[])row.GetValue(6)))
            : null;
    }

    /// <summary>The latest packed snapshot starting no later than <paramref name="notAfterUnixMs"/>, or null.</summary>
    public async Task<PackedSnapshot?> LatestPackedAsync(long hostId, Probe probe, long notAfterUnixMs, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT Sequences, Payload FROM RawBlocks
            WHERE HostId = @host AND Probe = @probe AND FirstStartUnixMs <= @notAfter ORDER BY BlockStartUnixMs DESC LIMIT 1
            """,
            ("@host", hostId), ("@probe", (long)probe.Id), ("@notAfter", notAfterUnixMs));
        await using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var blocks = _blocks ??= new RawBlockCodec();
        blocks.Decode((byte[])row.GetValue(1));
        var identities = BlockSequences.Decode((byte[])row.GetValue(0));
        for (var s = blocks.Count - 1; s >= 0; s--)
        {
            if (blocks.StartOf(s) <= notAfterUnixMs)
            {
                return blocks.SnapshotAt(s, identities[s]);
            }
        }

        return null;
    }
}
