using System.Data;
using System.Data.Common;
using Npgsql;

namespace Tracefleet.Server.History.Engines;

/// <summary>
/// What the store does differently on SQLite and on PostgreSQL. Everything else (the model, the writer's
/// statements, rollups, retention, queries) is one set of SQL both engines accept: ON CONFLICT, RETURNING,
/// @parameters and unquoted names, which PostgreSQL folds to the lower-case names its model is given
/// (see <see cref="PostgresTracefleetDb"/>).
/// </summary>
public abstract class StoreEngine
{
    public static readonly StoreEngine Sqlite = new SqliteEngine();

    public static readonly StoreEngine Postgres = new PostgresEngine();

    /// <summary>The engine behind an open connection of the store.</summary>
    public static StoreEngine Of(DbConnection connection) => connection is NpgsqlConnection ? Postgres : Sqlite;

    /// <summary>
    /// Isolation for a read made of several statements that must see one instant (rollup progress, rollups
    /// and raw snapshots), so a query's sums equal the raw sums while the writer commits.
    /// </summary>
    public abstract IsolationLevel ConsistentRead { get; }

    /// <summary>The statement that hands space freed by deletions back to the file system; null when the engine does that on its own.</summary>
    public abstract string? ReclaimSpaceSql { get; }

    /// <summary>
    /// Runs first in every write transaction; null when the engine already admits one writer at a time. Writes
    /// must commit in the order their snapshot ids were drawn, even from several servers sharing the database:
    /// rollups move a watermark over those ids and would skip an id committed behind it.
    /// </summary>
    public abstract string? OneWriterSql { get; }

    /// <summary>Finds a key's id by its text (parameter <c>@text</c>), through the engine's unique index on keys.</summary>
    public abstract string KeyIdSql { get; }

    /// <summary>Bytes the store's data occupies: what the size cap trims by and /metrics reports.</summary>
    public abstract Task<long> DataBytesAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// True when a failed write says the store cannot write now (locked, unreachable, out of space), whatever was
    /// written; false when the data written may be what it refused. The writer retries the first kind later, whole,
    /// and looks for the one snapshot to refuse only after the second.
    /// </summary>
    public virtual bool IsTransient(Exception exception) =>
        exception is DbException { IsTransient: true } or TimeoutException or IOException or System.Net.Sockets.SocketException
        || (exception.InnerException is { } inner && IsTransient(inner));
}
