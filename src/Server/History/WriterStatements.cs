using System.Data.Common;
using Tracefleet.Contract;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Engines;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.History;

/// <summary>
/// The writer's prepared statements and its cache of key ids. SQL is kept to what SQLite and
/// PostgreSQL both accept (ON CONFLICT, RETURNING, @names), but for the snapshot insert on partitioned tables.
/// </summary>
internal sealed class WriterStatements : IAsyncDisposable
{
    /// <summary>Cached key ids, at most; past this the cache starts over (keys are re-read, not re-inserted).</summary>
    public const int MaxCachedKeys = 1_000_000;

    private readonly Dictionary<string, long> _keys = new(StringComparer.Ordinal);
    private readonly List<string> _keysThisBatch = [];
    private readonly DbCommand _insertSnapshot;
    private readonly DbCommand _insertKey;
    private readonly DbCommand _findKey;
    private readonly DbCommand? _insertKeys;
    private readonly DbConnection _connection;
    private readonly DbCommand _storedDigest;
    private readonly DbCommand _blockSequences;
    private readonly PackedWriter _packer = new();
    private readonly ulong[] _row = new ulong[RowValues.MaxCount];
    private KeyRow[] _rows = new KeyRow[256];

    /// <summary>The insert where Snapshots is unique by (HostId, Epoch, Sequence): a stored identity makes it insert nothing.</summary>
    private const string InsertOrNothing =
        """
        INSERT INTO Snapshots (HostId, Probe, StartUnixMs, DurationMs, Epoch, Sequence, MalformedLines, Payload, Digest)
        VALUES (@host, @probe, @start, @duration, @epoch, @sequence, @malformed, @payload, @digest)
        ON CONFLICT (HostId, Epoch, Sequence) DO NOTHING
        RETURNING Id
        """;

    /// <summary>
    /// The insert where Snapshots is partitioned by time (<see cref="IStoreEngine.Partitions"/>) and so cannot be unique by
    /// (HostId, Epoch, Sequence): the identity is looked up in the same statement (the index on it in each partition, whatever
    /// the snapshot's start), which no other writer can race, since writes take the one-writer lock (<see cref="IStoreEngine.OneWriterSql"/>).
    /// Outside VALUES nothing gives a NULL digest a type, hence the cast.
    /// </summary>
    private const string InsertUnlessStored =
        """
        INSERT INTO Snapshots (HostId, Probe, StartUnixMs, DurationMs, Epoch, Sequence, MalformedLines, Payload, Digest)
        SELECT @host, @probe, @start, @duration, @epoch, @sequence, @malformed, @payload, CAST(@digest AS bigint)
        WHERE NOT EXISTS (SELECT 1 FROM Snapshots WHERE HostId = @host AND Epoch = @epoch AND Sequence = @sequence)
        RETURNING Id
        """;

    /// <summary>
    /// <see cref="InsertUnlessStored"/>, and unless a packed block's sequence range holds the number: a live snapshot is one
    /// statement, where a separate look at the blocks first was one more round trip a snapshot (on PostgreSQL the writer
    /// waits for each, and at 1,000 hosts they bound its rate). Nothing inserted: see <see cref="InsertAsync"/>.
    /// </summary>
    private const string InsertUnlessStoredOrPacked =
        """
        INSERT INTO Snapshots (HostId, Probe, StartUnixMs, DurationMs, Epoch, Sequence, MalformedLines, Payload, Digest)
        SELECT @host, @probe, @start, @duration, @epoch, @sequence, @malformed, @payload, CAST(@digest AS bigint)
        WHERE NOT EXISTS (SELECT 1 FROM Snapshots WHERE HostId = @host AND Epoch = @epoch AND Sequence = @sequence)
          AND NOT EXISTS (SELECT 1 FROM RawBlocks WHERE HostId = @host AND LastSequence >= @sequence AND FirstSequence <= @sequence)
        RETURNING Id
        """;

    private static readonly string[] SnapshotParameters = ["@host", "@probe", "@start", "@duration", "@epoch", "@sequence", "@malformed", "@payload", "@digest"];

    /// <summary>
    /// With <see cref="InsertUnlessStoredOrPacked"/>: the insert once neither a row nor a block holds the identity, though a
    /// block's range held the number (another epoch's). Null where the blocks are looked at before the insert (SQLite: no round trips).
    /// </summary>
    private readonly DbCommand? _insertUnpacked;

    public WriterStatements(IStoreEngine engine, DbConnection connection)
    {
        _insertSnapshot = Sql.Command(connection, null, engine.Partitions is null ? InsertOrNothing : InsertUnlessStoredOrPacked, SnapshotParameters);
        _insertUnpacked = engine.Partitions is null ? null : Sql.Command(connection, null, InsertUnlessStored, SnapshotParameters);
        // One row at most; on a partitioned table the identity index of each partition is probed, whatever the snapshot's start.
        _storedDigest = Sql.Command(connection, null,
            "SELECT Digest FROM Snapshots WHERE HostId = @host AND Epoch = @epoch AND Sequence = @sequence LIMIT 1",
            "@host", "@epoch", "@sequence");
        _blockSequences = Sql.Command(connection, null,
            "SELECT Sequences FROM RawBlocks WHERE HostId = @host AND LastSequence >= @sequence AND FirstSequence <= @sequence",
            "@host", "@sequence");
        // No conflict target: each engine has its own unique index on keys (see IStoreEngine.KeyIdSql).
        _insertKey = Sql.Command(connection, null, "INSERT INTO Keys (Text) VALUES (@text) ON CONFLICT DO NOTHING RETURNING Id", "@text");
        _findKey = Sql.Command(connection, null, engine.KeyIdSql, "@text");
        _insertKeys = engine.InsertKeysSql is { } insertKeys ? Sql.Command(connection, null, insertKeys, "@texts") : null;
        _connection = connection;
    }

    /// <summary>Runs the statements in <paramref name="transaction"/>.</summary>
    public void Enlist(DbTransaction transaction)
    {
        foreach (var command in Commands)
        {
            command.Transaction = transaction;
        }
    }

    /// <summary>
    /// Inserts one snapshot with its rows packed into one blob. When its (host, epoch, sequence) is stored already, as a row
    /// or in its packed block, the stored digest tells a resend (same digest, or none kept) from a conflict (another snapshot
    /// under the same number).
    /// </summary>
    public async Task<StoreOutcome> InsertAsync(PendingSnapshot pending, CancellationToken cancellationToken)
    {
        var snapshot = pending.Snapshot;
        // Ingest validated the probe name; an unknown one never reaches the writer.
        var probe = Probe.TryParse(snapshot.Probe, out var known) ? known : throw new InvalidDataException($"unknown probe {snapshot.Probe}");
        // Admission moved the table into the columnar form: keys and values, probe.ValueCount values a key.
        var keys = snapshot.Keys;
        var values = snapshot.Values;
        var width = probe.ValueCount;
        if (_rows.Length < keys.Count)
        {
            _rows = new KeyRow[Math.Max(keys.Count, _rows.Length * 2)];
        }

        // Keys are interned before the duplicate check: a resend's keys are cached, so that costs nothing.
        for (var i = 0; i < keys.Count; i++)
        {
            // The cached case without the async method around it: 400 keys a snapshot at 2,000 snapshots a second made its
            // state machine a tenth of the server's CPU.
            var keyId = _keys.TryGetValue(keys[i], out var cached) ? cached : await KeyIdAsync(keys[i], cancellationToken).ConfigureAwait(false);
            var row = _row.AsSpan(0, width);
            SnapshotColumns.CopyRow(values, i, row);
            _rows[i] = new KeyRow(keyId, RowValues.Of(row));
        }

        var epoch = unchecked((long)pending.Epoch);
        if (_insertUnpacked is null && await PackedAsync(pending.HostId, epoch, (long)snapshot.Sequence, cancellationToken).ConfigureAwait(false) is { } packed)
        {
            return Resent(packed.Digest, pending.Digest);
        }

        var payload = SnapshotPayload.Encode(_packer, _rows.AsSpan(0, keys.Count), width);
        if (await RunInsertAsync(_insertSnapshot, pending, probe, epoch, payload, cancellationToken).ConfigureAwait(false))
        {
            return StoreOutcome.Stored;
        }

        if (_insertUnpacked is not null && await PackedAsync(pending.HostId, epoch, (long)snapshot.Sequence, cancellationToken).ConfigureAwait(false) is { } inBlock)
        {
            return Resent(inBlock.Digest, pending.Digest);
        }

        // No row: null; a row without a digest: DBNull.
        Sql.Set(_storedDigest, ("@host", pending.HostId), ("@epoch", epoch), ("@sequence", (long)snapshot.Sequence));
        var stored = await _storedDigest.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (stored is null && _insertUnpacked is not null)
        {
            // Neither a row nor a block holds it: a block of another epoch held the number in its range.
            return await RunInsertAsync(_insertUnpacked, pending, probe, epoch, payload, cancellationToken).ConfigureAwait(false)
                ? StoreOutcome.Stored
                : throw new InvalidOperationException($"snapshot {pending.Epoch}/{snapshot.Sequence} of host {pending.HostId} neither stored nor found");
        }

        return Resent(stored as long?, pending.Digest);
    }

    private static async Task<bool> RunInsertAsync(DbCommand insert, PendingSnapshot pending, Probe probe, long epoch, byte[] payload, CancellationToken cancellationToken)
    {
        var snapshot = pending.Snapshot;
        Sql.Set(
            insert,
            ("@host", pending.HostId),
            ("@probe", (long)probe.Id),
            ("@start", snapshot.StartUnixMs),
            ("@duration", (long)snapshot.DurationMs),
            ("@epoch", epoch),
            ("@sequence", (long)snapshot.Sequence),
            ("@malformed", (long)snapshot.MalformedLines),
            ("@payload", payload),
            ("@digest", pending.Digest is { } digest ? digest : DBNull.Value));
        return await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long;
    }

    private static StoreOutcome Resent(long? stored, long? sent) =>
        stored is { } storedDigest && sent is { } sentDigest && storedDigest != sentDigest ? StoreOutcome.Conflict : StoreOutcome.AlreadyStored;

    /// <summary>
    /// The identity of snapshot (epoch, sequence) of the host in a packed block, whatever its start, or null. Blocks are found
    /// by their sequence range: for a live snapshot, numbered past every packed one, the index has nothing to give.
    /// </summary>
    private async Task<SnapshotIdentity?> PackedAsync(long hostId, long epoch, long sequence, CancellationToken cancellationToken)
    {
        Sql.Set(_blockSequences, ("@host", hostId), ("@sequence", sequence));
        await using var reader = await _blockSequences.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var identity in BlockSequences.Decode((byte[])reader.GetValue(0)))
            {
                if (identity.Epoch == epoch && identity.Sequence == sequence)
                {
                    return identity;
                }
            }
        }

        return null;
    }

    private DbCommand[] Commands => [_insertSnapshot, _insertKey, _findKey, _storedDigest, _blockSequences, .. new[] { _insertUnpacked, _insertKeys }.OfType<DbCommand>()];

    /// <summary>
    /// Marks the hosts seen at <paramref name="nowUnixMs"/>, 1,000 a statement (a statement a host was a round trip each on
    /// PostgreSQL, up to a thousand a batch).
    /// </summary>
    public async Task TouchHostsAsync(IEnumerable<long> hostIds, long nowUnixMs, DbTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var chunk in hostIds.Chunk(1000))
        {
            await Sql.ExecuteAsync(
                _connection, transaction,
                $"UPDATE Hosts SET LastSeenUnixMs = {nowUnixMs} WHERE LastSeenUnixMs < {nowUnixMs} AND Id IN ({string.Join(",", chunk)})",
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Learns the ids of every key of <paramref name="batch"/> not cached yet before its snapshots are inserted: on an engine
    /// with <see cref="IStoreEngine.InsertKeysSql"/>, 1,000 new keys a round trip, and a key another server stored meanwhile
    /// alone; elsewhere nothing (each key is learned as its snapshot is inserted).
    /// </summary>
    public async Task InternKeysAsync(IReadOnlyList<PendingSnapshot> batch, CancellationToken cancellationToken)
    {
        if (_insertKeys is null)
        {
            // One at a time as the snapshots are inserted: a look at every key of the batch first would only cost a lookup more.
            return;
        }

        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pending in batch)
        {
            foreach (var key in pending.Snapshot.Keys)
            {
                if (!_keys.ContainsKey(key))
                {
                    missing.Add(key);
                }
            }
        }

        if (missing.Count > 0)
        {
            if (_keys.Count + missing.Count >= MaxCachedKeys)
            {
                _keys.Clear();
            }

            // Chunks of a copy: the set loses each key the insert returns.
            foreach (var chunk in missing.ToArray().Chunk(1000))
            {
                _insertKeys.Parameters[0].Value = chunk;
                await using var reader = await _insertKeys.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var text = reader.GetString(1);
                    _keys[text] = reader.GetInt64(0);
                    _keysThisBatch.Add(text);
                    missing.Remove(text);
                }
            }
        }

        foreach (var key in missing)
        {
            await KeyIdAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Key ids learned in a rolled-back transaction do not exist; drop them from the cache.</summary>
    public void ForgetUncommittedKeys()
    {
        foreach (var key in _keysThisBatch)
        {
            _keys.Remove(key);
        }

        _keysThisBatch.Clear();
    }

    public void KeepCommittedKeys() => _keysThisBatch.Clear();

    private async Task<long> KeyIdAsync(string key, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(key, out var id))
        {
            return id;
        }

        if (_keys.Count >= MaxCachedKeys)
        {
            _keys.Clear();
        }

        // Another server sharing the database may have stored the key since this one cached its keys.
        Sql.Set(_insertKey, ("@text", key));
        if (await _insertKey.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long inserted)
        {
            Sql.Set(_findKey, ("@text", key));
            inserted = (long)(await _findKey.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        id = inserted;
        _keys[key] = id;
        _keysThisBatch.Add(key);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in Commands)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }
    }
}
