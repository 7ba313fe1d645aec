using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.History;

/// <summary>
/// Sets the per-connection PRAGMAs the store relies on. WAL lets the API read while the writer
/// commits; synchronous=NORMAL is durable across process crashes in WAL mode (only an OS crash
/// can lose the last commits); a busy timeout (Storage:LockTimeoutSeconds) makes a reader wait for a checkpoint, and a writer for a lock another
/// process holds, instead of failing at once.
/// </summary>
public sealed class SqlitePragmas(IOptions<StorageOptions> options) : DbConnectionInterceptor
{
    private readonly string _pragmas =
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={options.Value.LockTimeoutSeconds * 1000}; PRAGMA temp_store=MEMORY;";

    /// <summary>
    /// Makes a new, empty database file use incremental auto-vacuum, which lets the size cap hand freed pages
    /// back to the file system. SQLite accepts the mode only before the first table, and keeps it only once
    /// the header is written (the VACUUM); an existing file keeps its mode.
    /// </summary>
    public static async Task PrepareNewFileAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "SELECT COUNT(*) FROM sqlite_master";
                if ((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
                {
                    // WAL now too: it persists in the file, and EF opens read-only connections that could not switch it.
                    command.CommandText = "PRAGMA auto_vacuum=INCREMENTAL; VACUUM; PRAGMA journal_mode=WAL;";
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
