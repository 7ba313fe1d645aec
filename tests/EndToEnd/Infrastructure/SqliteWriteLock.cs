using Microsoft.Data.Sqlite;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>
/// Another process holding a SQLite file's write lock, as someone in the <c>sqlite3</c> shell does after
/// <c>BEGIN EXCLUSIVE;</c> and a write: held until disposed, when the transaction is rolled back.
/// </summary>
public sealed class SqliteWriteLock : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    private SqliteWriteLock(SqliteConnection connection, SqliteTransaction transaction) => (_connection, _transaction) = (connection, transaction);

    public static async Task<SqliteWriteLock> TakeAsync(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using (var write = connection.CreateCommand())
        {
            // A write takes the lock; this one changes nothing.
            write.Transaction = transaction;
            write.CommandText = "UPDATE HistoryState SET RolledUpToSnapshotId = RolledUpToSnapshotId WHERE Id = 1";
            await write.ExecuteNonQueryAsync();
        }

        return new SqliteWriteLock(connection, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.RollbackAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
