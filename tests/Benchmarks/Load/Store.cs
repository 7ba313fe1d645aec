extern alias server;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using server::Tracefleet.Server.History;
using server::Tracefleet.Server.History.Engines;

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

    /// <summary>The server's engine for the SQLite file at <paramref name="path"/>.</summary>
    internal static SqliteEngine Engine(string path) => new(Options.Create(new StorageOptions { Path = path }));

    /// <summary>A new, migrated database file, created as the server creates its own.</summary>
    public static async Task<TracefleetDb> CreateAsync(string path, CancellationToken cancellationToken)
    {
        var engine = Engine(path);
        await engine.PrepareAsync(cancellationToken).ConfigureAwait(false);
        var db = engine.CreateDb();
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return db;
    }
}
