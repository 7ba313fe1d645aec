using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.History.Partitions;

namespace Tracefleet.Server.History.Engines;

/// <summary>
/// What the store does differently on SQLite and on PostgreSQL; the server holds one, chosen from
/// <c>Storage:Provider</c> at start (<see cref="StoreEngineServices.AddStoreEngine"/>). Everything else (the model,
/// the writer's statements, rollups, retention, queries) is one set of SQL both engines accept: ON CONFLICT,
/// RETURNING, @parameters and unquoted names, which PostgreSQL folds to the lower-case names its model is given.
/// PostgreSQL's time partitions are the exception (<see cref="Partitions"/>): their upkeep, and the writer's insert of a
/// snapshot, which there cannot lean on a unique index.
/// </summary>
public interface IStoreEngine
{
    /// <summary>Points a context's options at the store (connection, engine settings, naming) from <c>Storage</c>.</summary>
    void Configure(DbContextOptionsBuilder options);

    /// <summary>Readies the store before its migrations run, e.g. creates a new database file; the migrations create the rest.</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Isolation for a read made of several statements that must see one instant (rollup progress, rollups
    /// and raw snapshots), so a query's sums equal the raw sums while the writer commits.
    /// </summary>
    IsolationLevel ConsistentRead { get; }

    /// <summary>The statement that hands space freed by deletions back to the file system; null when the engine does that on its own.</summary>
    string? ReclaimSpaceSql { get; }

    /// <summary>
    /// Runs first in every write transaction; null when the engine already admits one writer at a time. Writes
    /// must commit in the order their snapshot ids were drawn, even from several servers sharing the database:
    /// rollups move a watermark over those ids and would skip an id committed behind it.
    /// </summary>
    string? OneWriterSql { get; }

    /// <summary>
    /// The time partitions of the history tables, which maintenance creates and retention drops; null when each is one table
    /// (SQLite), and then Snapshots is unique by (HostId, Epoch, Sequence), the writer's ON CONFLICT target.
    /// </summary>
    IHistoryPartitions? Partitions { get; }

    /// <summary>Finds a key's id by its text (parameter <c>@text</c>), through the engine's unique index on keys.</summary>
    string KeyIdSql { get; }

    /// <summary>
    /// Inserts the keys of the text array <c>@texts</c> (no duplicates) that are not stored yet, returning Id and Text of each
    /// inserted; null where the engine takes no arrays, and each new key is inserted alone (in-process SQLite: no round trip).
    /// </summary>
    string? InsertKeysSql { get; }

    /// <summary>
    /// Bytes the store takes on disk when that can be read without a query (a SQLite file and its write-ahead log,
    /// for /metrics at each scrape); null when only <see cref="DataBytesAsync"/> can tell.
    /// </summary>
    long? FileBytes { get; }

    /// <summary>Bytes the store's data occupies: what the size cap trims by, and /metrics reports where <see cref="FileBytes"/> is null.</summary>
    Task<long> DataBytesAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// True when a failed write says the store cannot write now (locked, unreachable, out of space), whatever was
    /// written; false when the data written may be what it refused. The writer retries the first kind later, whole,
    /// and looks for the one snapshot to refuse only after the second.
    /// </summary>
    bool IsTransient(Exception exception);
}
