using System.Data;
using System.Data.Common;

namespace Tracefleet.Server.History.Engines;

/// <summary>One file; WAL gives every read transaction a snapshot of the database as of its first read.</summary>
internal sealed class SqliteEngine : StoreEngine
{
    // SQLite has one isolation level; every transaction is serializable.
    public override IsolationLevel ConsistentRead => IsolationLevel.Serializable;

    // Only does something on a file created with auto_vacuum=INCREMENTAL (see SqlitePragmas).
    public override string? ReclaimSpaceSql => "PRAGMA incremental_vacuum";

    // A write transaction holds the file's one write lock from its first write to its commit.
    public override string? OneWriterSql => null;

    public override string KeyIdSql => "SELECT Id FROM Keys WHERE Text = @text";

    /// <summary>
    /// Busy or locked (another process holds the file's write lock past the busy timeout), I/O errors, a full disk, a
    /// read-only or unopenable file: the file is the problem, not the snapshot.
    /// </summary>
    public override bool IsTransient(Exception exception) =>
        exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 or 8 or 10 or 13 or 14 or 15 } || base.IsTransient(exception);

    /// <summary>Pages holding data (free pages are reused before the file grows).</summary>
    public override async Task<long> DataBytesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var pages = await Sql.ScalarAsync(connection, null, "PRAGMA page_count", cancellationToken).ConfigureAwait(false);
        var free = await Sql.ScalarAsync(connection, null, "PRAGMA freelist_count", cancellationToken).ConfigureAwait(false);
        var size = await Sql.ScalarAsync(connection, null, "PRAGMA page_size", cancellationToken).ConfigureAwait(false);
        return (pages - free) * size;
    }
}
