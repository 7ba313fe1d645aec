using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History.Partitions;

namespace Tracefleet.Server.History.Engines;

/// <summary>One file (<c>Storage:Path</c>); WAL gives every read transaction a snapshot of the database as of its first read.</summary>
internal sealed class SqliteEngine(IOptions<StorageOptions> storage) : IStoreEngine
{
    private readonly string _path = Path.GetFullPath(storage.Value.Path);
    private readonly int _lockTimeoutSeconds = storage.Value.LockTimeoutSeconds;
    private readonly SqlitePragmas _pragmas = new(storage.Value.LockTimeoutSeconds);

    // SQLite has one isolation level; every transaction is serializable.
    public IsolationLevel ConsistentRead => IsolationLevel.Serializable;

    // Only does something on a file created with auto_vacuum=INCREMENTAL (see PrepareAsync).
    public string? ReclaimSpaceSql => "PRAGMA incremental_vacuum";

    // A write transaction holds the file's one write lock from its first write to its commit.
    public string? OneWriterSql => null;

    // One table each; size and age trim them row by row.
    public IHistoryPartitions? Partitions => null;

    public string KeyIdSql => "SELECT Id FROM Keys WHERE Text = @text";

    public string? InsertKeysSql => null;

    public long? FileBytes => Bytes(_path) + Bytes(_path + "-wal");

    public void Configure(DbContextOptionsBuilder options) =>
        options.UseSqlite($"Data Source={_path};Pooling=True;Default Timeout={_lockTimeoutSeconds}")
            .AddInterceptors(_pragmas);

    /// <summary>A context on the file, outside the server's services (design-time tools, the load generator).</summary>
    public TracefleetDb CreateDb()
    {
        var options = new DbContextOptionsBuilder<TracefleetDb>();
        Configure(options);
        return new TracefleetDb(options.Options);
    }

    /// <summary>
    /// Creates the file owner-only (<see cref="OwnerOnlyFiles"/>) and makes a new, empty one use incremental
    /// auto-vacuum, which lets the size cap hand freed pages back to the file system. SQLite accepts the mode only
    /// before the first table, and keeps it only once the header is written (the VACUUM); an existing file keeps its mode.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        OwnerOnlyFiles.CreateDatabaseFile(_path);
        var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (await Sql.ScalarAsync(connection, null, "SELECT COUNT(*) FROM sqlite_master", cancellationToken).ConfigureAwait(false) == 0)
            {
                // WAL now too: it persists in the file, and EF opens read-only connections that could not switch it.
                await Sql.ExecuteAsync(connection, null, "PRAGMA auto_vacuum=INCREMENTAL; VACUUM; PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Busy or locked (another process holds the file's write lock past the busy timeout), I/O errors, a full disk, a
    /// read-only or unopenable file: the file is the problem, not the snapshot.
    /// </summary>
    public bool IsTransient(Exception exception) =>
        TransientFailures.Any(exception, e => e is SqliteException { SqliteErrorCode: 5 or 6 or 8 or 10 or 13 or 14 or 15 } ? true : null);

    /// <summary>Pages holding data (free pages are reused before the file grows).</summary>
    public async Task<long> DataBytesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var pages = await Sql.ScalarAsync(connection, null, "PRAGMA page_count", cancellationToken).ConfigureAwait(false);
        var free = await Sql.ScalarAsync(connection, null, "PRAGMA freelist_count", cancellationToken).ConfigureAwait(false);
        var size = await Sql.ScalarAsync(connection, null, "PRAGMA page_size", cancellationToken).ConfigureAwait(false);
        return (pages - free) * size;
    }

    private static long Bytes(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
