extern alias server;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using server::Tracefleet.Server.History;
using server::Tracefleet.Server.History.Encoding;
using server::Tracefleet.Server.History.Engines;
using server::Tracefleet.Server.History.Maintenance;

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

    /// <summary>
    /// What maintenance does to the run's raw snapshots once their blocks have closed, done now: rolls up what the server has
    /// not yet, then packs every block with the server's own <see cref="RawPacking"/>, its clock moved past the last block's end.
    /// Runs beside the live server (SQLite lets one writer at a time; a race with its maintenance is retried). Returns the snapshots packed.
    /// </summary>
    public static async Task<long> PackRunAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=60");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var writes = new OwnTransactions(connection);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                while (await Rollups.RollUpOnceAsync(connection, writes, 20_000, Rollups.DefaultChunkBuckets, cancellationToken).ConfigureAwait(false) > 0)
                {
                }

                break;
            }
            catch (RollupRaceException) when (attempt < 10)
            {
                // The server's maintenance rolled these up first: go on from its mark.
            }
        }

        await using var last = connection.CreateCommand();
        last.CommandText = "SELECT COALESCE(MAX(StartUnixMs), 0) FROM Snapshots";
        var now = (long)(await last.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! + RawPacking.BlockMs + RawPacking.GraceMs;
        using var codec = new RawBlockCodec();
        return await RawPacking.PackAsync(connection, writes, codec, now, 20_000, cancellationToken).ConfigureAwait(false);
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

/// <summary>Maintenance writes run each in its own transaction on one connection (the server hands them to its writer).</summary>
internal sealed class OwnTransactions(System.Data.Common.DbConnection connection) : IHistoryWrites
{
    public async Task<int> RunAsync(HistoryWrite write, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var affected = await write(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return affected;
    }
}
