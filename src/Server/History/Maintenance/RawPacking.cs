using System.Data.Common;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.History.Maintenance;

/// <summary>
/// Packs the raw tier across time: once a block of <see cref="BlockMs"/> has closed (ended <see cref="GraceMs"/> ago) and its
/// snapshots are rolled up, one host's snapshots of one probe in it become one <see cref="RawBlockRecord"/> and leave
/// Snapshots. Reading and encoding happen here, off the writer; the writer gets one small job per block that deletes the
/// packed rows and writes the block, refused (and rolled back) if any row is gone or the block changed since it was read, so
/// a snapshot is in a block or a row, never both and never twice. Late snapshots (a spooled backlog) land as rows and are
/// merged into their block on a later pass.
/// </summary>
public static class RawPacking
{
    /// <summary>A block's span: ten minutes. Fixed, so a block's start says which block a snapshot belongs to in every release.</summary>
    public const long BlockMs = 10 * 60_000;

    /// <summary>How long after its end a block is packed: snapshots of the last seconds are usually still arriving.</summary>
    public const long GraceMs = 60_000;

    /// <summary>The start of the block holding time <paramref name="unixMs"/>.</summary>
    public static long BlockStart(long unixMs) => unixMs - (((unixMs % BlockMs) + BlockMs) % BlockMs);

    /// <summary>
    /// Packs every closed block with rolled-up rows (at most <paramref name="maxSnapshots"/> rows read at once); returns the
    /// snapshots packed. Throws <see cref="RawPackRaceException"/> when a block's rows or block changed under it (another
    /// server on the same database packed them): the next pass goes on from what is there.
    /// </summary>
    public static async Task<int> PackAsync(
        DbConnection connection, IHistoryWrites writes, RawBlockCodec codec, long nowUnixMs, int maxSnapshots, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSnapshots, 1);
        var closedBefore = BlockStart(nowUnixMs - GraceMs);
        var mark = await Sql.ScalarAsync(connection, null, "SELECT RolledUpToSnapshotId FROM HistoryState WHERE Id = 1", cancellationToken).ConfigureAwait(false);
        var packed = 0;
        foreach (var (hostId, probe) in await ToPackAsync(connection, closedBefore, mark, cancellationToken).ConfigureAwait(false))
        {
            List<Row> rows;
            do
            {
                rows = await RowsAsync(connection, hostId, probe, closedBefore, mark, maxSnapshots, cancellationToken).ConfigureAwait(false);
                var blocks = rows.GroupBy(r => BlockStart(r.Snapshot.StartUnixMs)).ToList();
                if (rows.Count == maxSnapshots && blocks.Count > 1)
                {
                    // The last block may go on past the rows read: it is packed whole on the next read.
                    blocks.RemoveAt(blocks.Count - 1);
                }

                foreach (var block in blocks)
                {
                    packed += await PackBlockAsync(connection, writes, codec, hostId, probe, block.Key, [.. block], cancellationToken).ConfigureAwait(false);
                }
            }
            while (rows.Count == maxSnapshots);
        }

        return packed;
    }

    /// <summary>The (host, probe) pairs with rolled-up rows in closed blocks.</summary>
    private static async Task<List<(long HostId, Probe Probe)>> ToPackAsync(DbConnection connection, long closedBefore, long mark, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(
            connection, null, "SELECT DISTINCT HostId, Probe FROM Snapshots WHERE StartUnixMs < @closed AND Id <= @mark", "@closed", "@mark");
        Sql.Set(command, ("@closed", closedBefore), ("@mark", mark));
        var pairs = new List<(long, Probe)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pairs.Add((reader.GetInt64(0), Probe.FromStored(reader.GetInt64(1))));
        }

        return pairs;
    }

    private static async Task<List<Row>> RowsAsync(
        DbConnection connection, long hostId, Probe probe, long closedBefore, long mark, int limit, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(
            connection, null,
            """
            SELECT Id, StartUnixMs, DurationMs, Epoch, Sequence, MalformedLines, Digest, Payload FROM Snapshots
            WHERE HostId = @host AND Probe = @probe AND StartUnixMs < @closed AND Id <= @mark ORDER BY StartUnixMs, Id LIMIT @limit
            """,
            "@host", "@probe", "@closed", "@mark", "@limit");
        Sql.Set(command, ("@host", hostId), ("@probe", (long)probe.Id), ("@closed", closedBefore), ("@mark", mark), ("@limit", (long)limit));
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new Row(reader.GetInt64(0), new PackedSnapshot(
                reader.GetInt64(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6), SnapshotPayload.Decode((byte[])reader.GetValue(7)))));
        }

        return rows;
    }

    private static async Task<int> PackBlockAsync(
        DbConnection connection, IHistoryWrites writes, RawBlockCodec codec, long hostId, Probe probe, long blockStart, List<Row> rows, CancellationToken cancellationToken)
    {
        var (blockId, revision, snapshots) = await StoredAsync(connection, codec, hostId, probe, blockStart, cancellationToken).ConfigureAwait(false);
        var held = snapshots.Select(s => (s.Epoch, s.Sequence)).ToHashSet();
        // A row the block already holds (a resend stored in a race the one-writer lock rules out, kept for safety) is dropped with the others.
        snapshots.AddRange(rows.Select(r => r.Snapshot).Where(s => held.Add((s.Epoch, s.Sequence))));
        snapshots.Sort(PackedSnapshot.Compare);
        var payload = codec.Encode(snapshots, probe.ValueCount);
        var sequences = BlockSequences.Encode(new PackedWriter(), snapshots);
        var ids = string.Join(",", rows.Select(r => r.Id));
        var (first, last) = (snapshots[0].StartUnixMs, snapshots[^1].StartUnixMs);
        await writes.RunAsync(async (c, transaction, ct) =>
        {
            if (await Sql.ExecuteAsync(c, transaction, $"DELETE FROM Snapshots WHERE Id IN ({ids})", ct).ConfigureAwait(false) != rows.Count)
            {
                throw new RawPackRaceException(hostId, blockStart);
            }

            await using var write = Sql.Command(c, transaction,
                blockId is null
                    ? """
                      INSERT INTO RawBlocks (HostId, Probe, BlockStartUnixMs, FirstStartUnixMs, LastStartUnixMs, SnapshotCount, FirstSequence, LastSequence, Revision, Sequences, Payload)
                      VALUES (@host, @probe, @block, @first, @last, @count, @firstSequence, @lastSequence, 0, @sequences, @payload) ON CONFLICT DO NOTHING
                      """
                    : """
                      UPDATE RawBlocks SET FirstStartUnixMs = @first, LastStartUnixMs = @last, SnapshotCount = @count,
                        FirstSequence = @firstSequence, LastSequence = @lastSequence, Revision = Revision + 1,
                        Sequences = @sequences, Payload = @payload
                      WHERE HostId = @host AND Probe = @probe AND BlockStartUnixMs = @block AND Revision = @revision
                      """,
                "@host", "@probe", "@block", "@first", "@last", "@count", "@firstSequence", "@lastSequence", "@sequences", "@payload", "@revision");
            Sql.Set(write, ("@host", hostId), ("@probe", (long)probe.Id), ("@block", blockStart), ("@first", first), ("@last", last),
                ("@count", (long)snapshots.Count), ("@firstSequence", snapshots.Min(s => s.Sequence)), ("@lastSequence", snapshots.Max(s => s.Sequence)),
                ("@sequences", sequences), ("@payload", payload), ("@revision", revision));
            if (await write.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
            {
                throw new RawPackRaceException(hostId, blockStart);
            }

            return rows.Count;
        }, cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }

    /// <summary>The block as stored (id, revision, snapshots), or none.</summary>
    private static async Task<(long? Id, long Revision, List<PackedSnapshot> Snapshots)> StoredAsync(
        DbConnection connection, RawBlockCodec codec, long hostId, Probe probe, long blockStart, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(
            connection, null, "SELECT Id, Revision, Sequences, Payload FROM RawBlocks WHERE HostId = @host AND Probe = @probe AND BlockStartUnixMs = @block",
            "@host", "@probe", "@block");
        Sql.Set(command, ("@host", hostId), ("@probe", (long)probe.Id), ("@block", blockStart));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (reader.GetInt64(0), reader.GetInt64(1), codec.DecodeAll((byte[])reader.GetValue(3), (byte[])reader.GetValue(2)))
            : (null, 0, []);
    }

    private readonly record struct Row(long Id, PackedSnapshot Snapshot);
}

/// <summary>A block's rows or stored block changed between reading and writing it (another server packed them first).</summary>
public sealed class RawPackRaceException(long hostId, long blockStart)
    : InvalidOperationException($"the raw block of host {hostId} at {blockStart} changed while it was packed; another server packed it")
{
}
