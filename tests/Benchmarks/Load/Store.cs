extern alias server;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using server::Tracefleet.Server.History;

namespace Tracefleet.Benchmarks.Load;

/// <summary>The server's database file, opened beside the running server (WAL lets both read).</summary>
public static class Store
{
    /// <summary>Bytes in pages that hold data (the WAL's newer pages included).</summary>
    public static async Task<long> UsedBytesAsync(string path, CancellationToken cancellationToken)
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

    /// <summary>A new, migrated database file, created as the server creates its own.</summary>
    public static async Task<TracefleetDb> CreateAsync(string path, CancellationToken cancellationToken)
    {
        await SqlitePragmas.PrepareNewFileAsync(path, cancellationToken).ConfigureAwait(false);
        var db = new TracefleetDb(new DbContextOptionsBuilder<TracefleetDb>()
            .UseSqlite($"Data Source={path}").AddInterceptors(new SqlitePragmas(Microsoft.Extensions.Options.Options.Create(new StorageOptions()))).Options);
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return db;
    }
}
