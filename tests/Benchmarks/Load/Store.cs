extern alias server;

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using server::Tracefleet.Server.History;
using server::Tracefleet.Server.History.Encoding;
using server::Tracefleet.Server.History.Engines;
using server::Tracefleet.Server.History.Maintenance;
using server::Tracefleet.Server.History.Tiers;

namespace Tracefleet.Benchmarks.Load;

/// <summary>The server's database, opened beside the running server: a SQLite file (WAL lets both read) or a PostgreSQL database.</summary>
public static class Store
{
    // An empty page's free space in PostgreSQL's free space map: its top category, 255 of 256 steps of a page.
    private const string EmptyPageAvail = "current_setting('block_size')::int / 256 * 255";

    /// <summary>The store the tool was pointed at: <c>--postgres CONNECTION-STRING</c>, else the SQLite file <c>--db PATH</c>.</summary>
    internal static StorageOptions Of(Arguments arguments) => arguments.Optional("postgres") is { } connectionString
        ? new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = connectionString }
        : new StorageOptions { Path = arguments.Text("db") };

    /// <summary>Bytes in pages that hold data, tables, indexes and (PostgreSQL) TOAST alike.</summary>
    public static Task<long> UsedBytesAsync(StorageOptions storage, CancellationToken cancellationToken) =>
        storage.Provider == StorageProvider.Postgres
            ? PostgresUsedBytesAsync(storage.ConnectionString!, cancellationToken)
            : SqliteUsedBytesAsync(storage.Path, cancellationToken);

    /// <summary>Pages in use (the WAL's newer pages included): all but the freelist.</summary>
    private static async Task<long> SqliteUsedBytesAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        long Pragma(string name)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA {name}";
            return (long)command.ExecuteScalar()!;
        }

        return (Pragma("page_count") - Pragma("freelist_count")) * Pragma("page_size");
    }

    /// <summary>
    /// Pages in use, as SQLite counts them: every page of the store's tables, their TOAST and all their indexes (every fork),
    /// less those the free space map records as empty. PostgreSQL keeps the pages deletions empty in its files for reuse,
    /// where SQLite would move them to its freelist; VACUUM (not FULL: the server is running) records them first. An index
    /// page it empties is recorded only by a later VACUUM, once a newer transaction id shows that no reader can still need it.
    /// </summary>
    private static async Task<long> PostgresUsedBytesAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = Postgres(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(connection, null, "CREATE EXTENSION IF NOT EXISTS pg_freespacemap", cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(connection, null, "VACUUM", cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(connection, null, "SELECT pg_current_xact_id()", cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(connection, null, "VACUUM", cancellationToken).ConfigureAwait(false);
        return await Sql.ScalarAsync(connection, null,
            $"""
            WITH tables AS (SELECT oid, reltoastrelid FROM pg_class WHERE relkind IN ('r', 'm') AND relnamespace = 'public'::regnamespace),
            heaps AS (SELECT oid FROM tables UNION ALL SELECT reltoastrelid FROM tables WHERE reltoastrelid <> 0),
            relations AS (SELECT oid FROM heaps UNION ALL SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM heaps))
            SELECT (SELECT sum(pg_total_relation_size(oid)) FROM tables)
                 - (SELECT count(*) FROM relations, pg_freespace(relations.oid) WHERE avail >= {EmptyPageAvail}) * current_setting('block_size')::int
            """,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What maintenance does to the run's raw snapshots once their blocks have closed, done now: rolls up what the server has
    /// not yet, builds the run's hours and days from its minutes, then packs every block with the server's own <see cref="RawPacking"/>, its clock moved past the last block's end.
    /// Runs beside the live server, one writer at a time (SQLite's write lock; on PostgreSQL the server's writer lock, taken as
    /// its writer takes it). Returns the snapshots packed (by the server's maintenance too, if it packed a block meanwhile).
    /// </summary>
    public static async Task<long> PackRunAsync(StorageOptions storage, CancellationToken cancellationToken)
    {
        await using DbConnection connection = storage.Provider == StorageProvider.Postgres
            ? Postgres(storage.ConnectionString!)
            : new SqliteConnection($"Data Source={storage.Path};Pooling=False;Default Timeout=60");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var writes = new OwnTransactions(connection, Engine(storage).OneWriterSql);
        await RollUpAllAsync(connection, writes, cancellationToken).ConfigureAwait(false);
        await FoldRunAsync(connection, writes, cancellationToken).ConfigureAwait(false);

        var rows = await Sql.ScalarAsync(connection, null, "SELECT COUNT(*) FROM Snapshots", cancellationToken).ConfigureAwait(false);
        var now = await Sql.ScalarAsync(connection, null, "SELECT COALESCE(MAX(StartUnixMs), 0) FROM Snapshots", cancellationToken).ConfigureAwait(false)
            + RawPacking.BlockMs + RawPacking.GraceMs;
        using var codec = new RawBlockCodec();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await RawPacking.PackAsync(connection, writes, codec, now, 20_000, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (RawPackRaceException) when (attempt < 10)
            {
                // The server's maintenance packed a block whose end its own clock has passed: go on from what it left.
            }
        }

        return rows - await Sql.ScalarAsync(connection, null, "SELECT COUNT(*) FROM Snapshots", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds the run's hour and day buckets from its minutes, as maintenance does once they close, so the figures count
    /// them as the store keeps them. A pass of the server's under way makes a fold wait; it is tried again.
    /// </summary>
    private static async Task FoldRunAsync(DbConnection connection, IHistoryWrites writes, CancellationToken cancellationToken)
    {
        var last = await Sql.ScalarAsync(connection, null, "SELECT COALESCE(MAX(StartUnixMs), 0) FROM Snapshots", cancellationToken).ConfigureAwait(false);
        var (closed, built) = (last + (2 * Tiers.DayMs), Tier.Day.BucketStart(last) + Tiers.DayMs);
        for (var attempt = 0; attempt < 30; attempt++)
        {
            try
            {
                await Folding.FoldAsync(connection, writes, closed, Rollups.DefaultChunkBuckets, cancellationToken).ConfigureAwait(false);
            }
            catch (RollupRaceException)
            {
                // The server's maintenance rolled up meanwhile: fold again from what it left.
            }

            if (await Sql.ScalarAsync(connection, null, "SELECT DaysFoldedBeforeUnixMs FROM HistoryState WHERE Id = 1", cancellationToken).ConfigureAwait(false) >= built)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        Console.Error.WriteLine("the run's hours and days could not be built beside the server's maintenance: bytesPerSample leaves them out");
    }

    /// <summary>
    /// Rolls up every snapshot while the server's maintenance may be rolling up a backlog of its own. It wins most races (its
    /// batches are smaller), and each one it wins moves the mark on; this gives up only when races stop moving it.
    /// </summary>
    private static async Task RollUpAllAsync(DbConnection connection, IHistoryWrites writes, CancellationToken cancellationToken)
    {
        const string Mark = "SELECT RolledUpToSnapshotId FROM HistoryState WHERE Id = 1";
        var mark = await Sql.ScalarAsync(connection, null, Mark, cancellationToken).ConfigureAwait(false);
        for (var stalled = 0; ;)
        {
            try
            {
                while (await Rollups.RollUpOnceAsync(connection, writes, 20_000, Rollups.DefaultChunkBuckets, cancellationToken).ConfigureAwait(false) > 0)
                {
                }

                return;
            }
            catch (RollupRaceException) when (stalled < 10)
            {
                var moved = await Sql.ScalarAsync(connection, null, Mark, cancellationToken).ConfigureAwait(false);
                stalled = moved > mark ? 0 : stalled + 1;
                mark = moved;
                if (stalled > 0)
                {
                    // A pass of the server's is under way (or it folded hours meanwhile): let it finish.
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Unpooled, as the SQLite connections here are: a pooled one would stay connected, one of PostgreSQL's connections fewer for the server.</summary>
    private static NpgsqlConnection Postgres(string connectionString) =>
        new(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);

    /// <summary>The server's engine for <paramref name="storage"/>.</summary>
    internal static IStoreEngine Engine(StorageOptions storage) => storage.Provider == StorageProvider.Postgres
        ? new PostgresEngine(Options.Create(storage))
        : new SqliteEngine(Options.Create(storage));

    /// <summary>The server's engine for the SQLite file at <paramref name="path"/>.</summary>
    internal static IStoreEngine Engine(string path) => Engine(new StorageOptions { Path = path });

    /// <summary>A migrated database, created as the server creates its own: a new SQLite file, or the PostgreSQL database (created when missing).</summary>
    public static async Task<TracefleetDb> CreateAsync(StorageOptions storage, CancellationToken cancellationToken)
    {
        var engine = Engine(storage);
        await engine.PrepareAsync(cancellationToken).ConfigureAwait(false);
        // As the server registers them: PostgreSQL's context carries its own model and migrations.
        TracefleetDb db = engine is PostgresEngine postgres ? postgres.CreateDb() : ((SqliteEngine)engine).CreateDb();
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return db;
    }

    /// <summary>A new, migrated SQLite file.</summary>
    public static Task<TracefleetDb> CreateAsync(string path, CancellationToken cancellationToken) =>
        CreateAsync(new StorageOptions { Path = path }, cancellationToken);
}

/// <summary>
/// Maintenance writes run each in its own transaction on one connection (the server hands them to its writer), each first
/// taking the engine's one-writer lock when it has one (<see cref="IStoreEngine.OneWriterSql"/>), as the server's writer does.
/// </summary>
internal sealed class OwnTransactions(DbConnection connection, string? oneWriterSql) : IHistoryWrites
{
    public async Task<int> RunAsync(HistoryWrite write, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (oneWriterSql is not null)
        {
            await Sql.ExecuteAsync(connection, transaction, oneWriterSql, cancellationToken).ConfigureAwait(false);
        }

        var affected = await write(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return affected;
    }
}
