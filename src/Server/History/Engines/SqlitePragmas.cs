using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Tracefleet.Server.History.Engines;

/// <summary>
/// Sets the per-connection PRAGMAs the store relies on. WAL lets the API read while the writer
/// commits; synchronous=NORMAL is durable across process crashes in WAL mode (only an OS crash
/// can lose the last commits); a busy timeout (Storage:LockTimeoutSeconds) makes a reader wait for a checkpoint, and a writer for a lock another
/// process holds, instead of failing at once.
/// </summary>
internal sealed class SqlitePragmas(int lockTimeoutSeconds) : DbConnectionInterceptor
{
    private readonly string _pragmas =
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={lockTimeoutSeconds * 1000}; PRAGMA temp_store=MEMORY;";

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
