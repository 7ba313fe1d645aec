using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Tracefleet.Contract.V1;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Engines;
using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Maintenance;
using Tracefleet.Server.History.Queries;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.History;

/// <summary>A migrated store on a real SQLite file or PostgreSQL database, written through the writer's own statements.</summary>
public sealed class HistoryDb : IAsyncDisposable, IHistoryWrites
{
    private readonly string? _path;
    private WriterStatements? _statements;

    private HistoryDb(IStoreEngine engine, TracefleetDb db, string? path)
    {
        (Engine, Db, _path) = (engine, db, path);
        Queries = new HistoryQueries(db, engine, Settled);
    }

    public IStoreEngine Engine { get; }

    public TracefleetDb Db { get; }

    /// <summary>The server's reads, on this store.</summary>
    public HistoryQueries Queries { get; }

    /// <summary>What <see cref="Queries"/> keeps of settled buckets between whole-fleet tops.</summary>
    public SettledBucketCache Settled { get; } = new(Options.Create(new HistoryOptions()));

    public DbConnection Connection => Db.Database.GetDbConnection();

    /// <summary>The SQLite file; null for a PostgreSQL store.</summary>
    public string? FilePath => _path;

    /// <summary>A store on a new SQLite file.</summary>
    public static async Task<HistoryDb> CreateAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-history-{Guid.NewGuid():N}.db");
        var engine = new SqliteEngine(Options.Create(new StorageOptions { Path = path }));
        await engine.PrepareAsync(cancellationToken);
        return await MigrateAsync(new HistoryDb(engine, engine.CreateDb(), path), cancellationToken);
    }

    /// <summary>A store in a new database of <paramref name="cluster"/>, migrated with the PostgreSQL migrations.</summary>
    public static async Task<HistoryDb> CreateAsync(PostgresCluster? cluster, CancellationToken cancellationToken)
    {
        if (cluster is null)
        {
            return await CreateAsync(cancellationToken);
        }

        var engine = new PostgresEngine(Options.Create(new StorageOptions
        {
            Provider = StorageProvider.Postgres,
            ConnectionString = cluster.ConnectionString(PostgresCluster.NewDatabaseName()),
        }));
        await engine.PrepareAsync(cancellationToken);
        return await MigrateAsync(new HistoryDb(engine, engine.CreateDb(), null), cancellationToken);
    }

    /// <summary>
    /// A store in a new database of <paramref name="cluster"/>, migrated with the PostgreSQL migrations up to
    /// <paramref name="migration"/> (a release's store); <see cref="MigrateAsync(CancellationToken)"/> takes it on to the newest.
    /// </summary>
    public static async Task<HistoryDb> CreateAsync(PostgresCluster cluster, string migration, CancellationToken cancellationToken)
    {
        var engine = new PostgresEngine(Options.Create(new StorageOptions
        {
            Provider = StorageProvider.Postgres,
            ConnectionString = cluster.ConnectionString(PostgresCluster.NewDatabaseName()),
        }));
        var store = new HistoryDb(engine, engine.CreateDb(), null);
        await store.Db.GetService<IMigrator>().MigrateAsync(migration, cancellationToken);
        await store.Db.Database.OpenConnectionAsync(cancellationToken);
        return store;
    }

    /// <summary>Applies the migrations not applied yet, as a newer release's server does at start.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => Db.Database.MigrateAsync(cancellationToken);

    private static async Task<HistoryDb> MigrateAsync(HistoryDb store, CancellationToken cancellationToken)
    {
        await store.Db.Database.MigrateAsync(cancellationToken);
        await store.Db.Database.OpenConnectionAsync(cancellationToken);
        return store;
    }

    public async Task<long> AddHostAsync(string name, CancellationToken cancellationToken)
    {
        var host = new HostRecord { Name = name, Os = "linux" };
        Db.Hosts.Add(host);
        await Db.SaveChangesAsync(cancellationToken);
        return host.Id;
    }

    /// <summary>Stores snapshots in one transaction, as the writer does with a batch.</summary>
    public async Task<StoreOutcome[]> InsertAsync(IEnumerable<PendingSnapshot> snapshots, CancellationToken cancellationToken)
    {
        _statements ??= new WriterStatements(Engine, Connection);
        var stored = new List<StoreOutcome>();
        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken);
        _statements.Enlist(transaction);
        var batch = snapshots.ToList();
        await _statements.InternKeysAsync(batch, cancellationToken);
        foreach (var snapshot in batch)
        {
            stored.Add(await _statements.InsertAsync(snapshot, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        _statements.KeepCommittedKeys();
        return [.. stored];
    }

    /// <summary>A snapshot of rows of one or two values; a pagefaults row takes the first only.</summary>
    public static PendingSnapshot Snapshot(long hostId, ulong sequence, Probe probe, long start, IEnumerable<(string Key, ulong First, ulong Second)> rows) =>
        Snapshot(hostId, sequence, probe.Name, start, rows.Select(r => (r.Key, new[] { r.First, r.Second }[..probe.ValueCount])));

    /// <summary>A snapshot of the named probe with rows as given, however many values each has.</summary>
    public static PendingSnapshot Snapshot(long hostId, ulong sequence, string probe, long start, IEnumerable<(string Key, ulong[] Values)> rows)
    {
        var snapshot = new Snapshot { Sequence = sequence, Probe = probe, StartUnixMs = start, DurationMs = 1000 };
        foreach (var (key, values) in rows)
        {
            var row = new Row { Key = key };
            row.Values.AddRange(values);
            snapshot.Rows.Add(row);
        }

        return new PendingSnapshot(hostId, 1, snapshot);
    }

    /// <summary>Maintenance writes run directly, each in its own transaction (the server sends them through the writer).</summary>
    public async Task<int> RunAsync(HistoryWrite write, CancellationToken cancellationToken)
    {
        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken);
        var affected = await write(Connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return affected;
    }

    /// <summary>
    /// Rolls everything up, then builds the hours and days closed at <paramref name="foldAtUnixMs"/> (default: all of them,
    /// as a server does once they have closed) from their minutes and hours.
    /// </summary>
    public async Task RollUpAllAsync(int batch, CancellationToken cancellationToken, int chunkBuckets = Rollups.DefaultChunkBuckets, long foldAtUnixMs = FoldEverything)
    {
        while (await Rollups.RollUpOnceAsync(Connection, this, batch, chunkBuckets, cancellationToken) > 0)
        {
        }

        await Folding.FoldAsync(Connection, this, foldAtUnixMs, chunkBuckets, cancellationToken);
    }

    /// <summary>A time after every test's data: every hour and day it holds has closed.</summary>
    public const long FoldEverything = 4_000_000_000_000;

    /// <summary>Packs every raw block closed at <paramref name="nowUnixMs"/> whose snapshots are rolled up; returns the snapshots packed.</summary>
    public async Task<int> PackAsync(long nowUnixMs, CancellationToken cancellationToken, int batch = 2000)
    {
        using var codec = new RawBlockCodec();
        return await RawPacking.PackAsync(Connection, this, codec, nowUnixMs, batch, cancellationToken);
    }

    /// <summary>A packing pass that stops, as a crash would, after its first <paramref name="committed"/> blocks; returns whether it was stopped.</summary>
    public async Task<bool> CutPackingShortAsync(long nowUnixMs, int batch, int committed, CancellationToken cancellationToken)
    {
        using var codec = new RawBlockCodec();
        try
        {
            await RawPacking.PackAsync(Connection, new CrashAfter(this, committed), codec, nowUnixMs, batch, cancellationToken);
            return false;
        }
        catch (SimulatedCrashException)
        {
            return true;
        }
    }

    /// <summary>
    /// One rollup pass that stops, as a crash would, after its first <paramref name="committed"/> writer jobs have
    /// committed (each of <paramref name="chunkBuckets"/> buckets); returns whether it was stopped before it ended.
    /// </summary>
    public async Task<bool> CutPassShortAsync(int batch, int chunkBuckets, int committed, CancellationToken cancellationToken)
    {
        try
        {
            await Rollups.RollUpOnceAsync(Connection, new CrashAfter(this, committed), batch, chunkBuckets, cancellationToken);
            return false;
        }
        catch (SimulatedCrashException)
        {
            return true;
        }
    }

    public async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_statements is not null)
        {
            await _statements.DisposeAsync();
        }

        await Db.DisposeAsync();
        if (_path is null)
        {
            return;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs the first <paramref name="jobs"/> writes it is given; the next one fails before it starts.</summary>
    private sealed class CrashAfter(IHistoryWrites writes, int jobs) : IHistoryWrites
    {
        private int _left = jobs;

        public Task<int> RunAsync(HistoryWrite write, CancellationToken cancellationToken) =>
            _left-- > 0 ? writes.RunAsync(write, cancellationToken) : throw new SimulatedCrashException();
    }

    private sealed class SimulatedCrashException : Exception;
}
