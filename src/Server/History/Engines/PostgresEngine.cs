using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History.Partitions;

namespace Tracefleet.Server.History.Engines;

/// <summary>
/// A PostgreSQL database (<c>Storage:ConnectionString</c>). Its space is the database server's to manage: autovacuum
/// makes deleted rows' space reusable and the size cap does not apply (refused at start), so only retention by age trims history.
/// </summary>
internal sealed class PostgresEngine(IOptions<StorageOptions> storage) : IStoreEngine
{
    // READ COMMITTED would give each statement its own snapshot; REPEATABLE READ gives the transaction one.
    public IsolationLevel ConsistentRead => IsolationLevel.RepeatableRead;

    public string? ReclaimSpaceSql => null;

    // A transaction-scoped advisory lock, shared by every server on this database, released at commit or rollback.
    public string? OneWriterSql => "SELECT pg_advisory_xact_lock(7310500001)";

    // Snapshots, RawBlocks and Rollups are partitioned by time (the migration PartitionedHistory).
    public IHistoryPartitions? Partitions { get; } = new PostgresPartitions();

    // Keys are unique by md5(text) (see PostgresTracefleetDb); comparing the text too makes a collision a miss, not a wrong key.
    public string KeyIdSql => "SELECT Id FROM Keys WHERE md5(Text) = md5(@text) AND Text = @text";

    // A batch's new keys in one round trip: with 1 % of every host's keys new each second, one insert a key was most of the writer's.
    public string? InsertKeysSql => "INSERT INTO Keys (Text) SELECT unnest(@texts) ON CONFLICT DO NOTHING RETURNING Id, Text";

    // A database's size is a query away; each maintenance pass measures it.
    public long? FileBytes => null;

    /// <summary>
    /// Every table, column, key and index named in lower case, which is what PostgreSQL folds an unquoted name to:
    /// the store's SQL writes <c>Snapshots.HostId</c> unquoted, and both engines find the same column.
    /// </summary>
    public void Configure(DbContextOptionsBuilder options) =>
        options.UseNpgsql(WithPreparedStatements(storage.Value.ConnectionString)).UseLowerCaseNamingConvention(CultureInfo.InvariantCulture);

    /// <summary>
    /// The connection string with Npgsql's automatic preparation on (<c>Max Auto Prepare</c>, unless it sets its own): the writer
    /// runs the same few statements thousands of times a second, and PostgreSQL would otherwise parse and plan each one again,
    /// which on the partitioned tables (an identity probe in every partition) cost it half of its ingest rate at 1,000 hosts.
    /// </summary>
    internal static string WithPreparedStatements(string? connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        return builder.ConnectionString;
    }

    /// <summary>A context on the database, outside the server's services (design-time tools).</summary>
    public PostgresTracefleetDb CreateDb()
    {
        var options = new DbContextOptionsBuilder<PostgresTracefleetDb>();
        Configure(options);
        return new PostgresTracefleetDb(options.Options);
    }

    // The migrations create the database when it is missing.
    public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Connection failures (an NpgsqlException that carries no server error) and the server's own classes of "not now":
    /// 08 connection, 40 rollback (serialization, deadlock), 53 insufficient resources, 57 operator intervention, 58 system error.
    /// </summary>
    public bool IsTransient(Exception exception) => TransientFailures.Any(exception, e => e switch
    {
        Npgsql.PostgresException p => p.SqlState[..2] is "08" or "40" or "53" or "57" or "58",
        Npgsql.NpgsqlException => true,
        _ => null,
    });

    public Task<long> DataBytesAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Sql.ScalarAsync(connection, null, "SELECT pg_database_size(current_database())", cancellationToken);
}
