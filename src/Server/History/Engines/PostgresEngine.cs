using System.Data;
using System.Data.Common;

namespace Tracefleet.Server.History.Engines;

/// <summary>
/// A PostgreSQL database. Its space is the database server's to manage: autovacuum makes deleted rows' space
/// reusable and the size cap does not apply (refused at start), so only retention by age trims history.
/// </summary>
internal sealed class PostgresEngine : StoreEngine
{
    // READ COMMITTED would give each statement its own snapshot; REPEATABLE READ gives the transaction one.
    public override IsolationLevel ConsistentRead => IsolationLevel.RepeatableRead;

    public override string? ReclaimSpaceSql => null;

    // A transaction-scoped advisory lock, shared by every server on this database, released at commit or rollback.
    public override string? OneWriterSql => "SELECT pg_advisory_xact_lock(7310500001)";

    // Keys are unique by md5(text) (see PostgresTracefleetDb); comparing the text too makes a collision a miss, not a wrong key.
    public override string KeyIdSql => "SELECT Id FROM Keys WHERE md5(Text) = md5(@text) AND Text = @text";

    /// <summary>
    /// Connection failures (an NpgsqlException that carries no server error) and the server's own classes of "not now":
    /// 08 connection, 40 rollback (serialization, deadlock), 53 insufficient resources, 57 operator intervention, 58 system error.
    /// </summary>
    public override bool IsTransient(Exception exception) => exception switch
    {
        Npgsql.PostgresException e => e.SqlState[..2] is "08" or "40" or "53" or "57" or "58",
        Npgsql.NpgsqlException => true,
        _ => base.IsTransient(exception),
    };

    public override Task<long> DataBytesAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Sql.ScalarAsync(connection, null, "SELECT pg_database_size(current_database())", cancellationToken);
}
