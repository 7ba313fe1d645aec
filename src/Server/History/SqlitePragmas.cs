using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Tracefleet.Server.History;

/// <summary>
/// Sets the per-connection PRAGMAs the store relies on. WAL lets the API read while the writer
/// commits; synchronous=NORMAL is durable across process crashes in WAL mode (only an OS crash
/// can lose the last commits); a busy timeout makes a reader wait for a checkpoint instead of failing.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA temp_store=MEMORY;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
