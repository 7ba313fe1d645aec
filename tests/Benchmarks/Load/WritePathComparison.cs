extern alias server;

using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using server::Tracefleet.Server.History;
using Wire = Tracefleet.Contract.V1;

namespace Tracefleet.Benchmarks.Load;

/// <summary>
/// The store's write path (one transaction per batch, prepared statements, packed rows) against what EF Core
/// does when used naively: entities added and SaveChanges per snapshot, one INSERT per row. Same rows, fresh files.
/// </summary>
public static class WritePathComparison
{
    private const int Snapshots = 200;

    public static async Task<double> RatioAsync(int keys, CancellationToken cancellationToken)
    {
        var batch = Enumerable.Range(1, Snapshots).Select(i => Snapshot(i, keys)).ToList();
        var store = await TimeAsync(path => StoreAsync(path, batch, cancellationToken)).ConfigureAwait(false);
        var naive = await TimeAsync(path => NaiveAsync(path, batch, cancellationToken)).ConfigureAwait(false);
        Console.Error.WriteLine($"write path: {Snapshots} snapshots × {keys} keys: store {store.TotalMilliseconds:F0} ms, naive EF Core {naive.TotalMilliseconds:F0} ms");
        return naive / store;
    }

    public static Wire.Snapshot Snapshot(int sequence, int keys)
    {
        var snapshot = new Wire.Snapshot { Sequence = (ulong)sequence, Probe = "kmem", StartUnixMs = 1_795_672_800_000 + (sequence * 1000L), DurationMs = 1000 };
        for (var k = 0; k < keys; k++)
        {
            var row = new Wire.Row { Key = $"kmalloc-{k}" };
            row.Values.Add((ulong)(sequence * k % 5000));
            row.Values.Add((ulong)(sequence + k));
            snapshot.Rows.Add(row);
        }

        return snapshot;
    }

    /// <summary>Writes the batch as the writer does; returns the time of the writes alone (not creating the file).</summary>
    public static async Task<TimeSpan> StoreAsync(string path, List<Wire.Snapshot> batch, CancellationToken cancellationToken)
    {
        await using var db = await Store.CreateAsync(path, cancellationToken).ConfigureAwait(false);
        var host = new server::Tracefleet.Server.History.Entities.HostRecord { Name = "bench" };
        db.Hosts.Add(host);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await using var statements = new WriterStatements(Store.Engine(path), connection);
        var watch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        statements.Enlist(transaction);
        foreach (var snapshot in batch)
        {
            await statements.InsertAsync(new PendingSnapshot(host.Id, 1, snapshot), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return watch.Elapsed;
    }

    /// <summary>Writes the batch the naive way; returns the time of the writes alone (not creating the file).</summary>
    public static async Task<TimeSpan> NaiveAsync(string path, List<Wire.Snapshot> batch, CancellationToken cancellationToken)
    {
        await using var db = new NaiveDb(path);
        await db.Database.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var keyIds = new Dictionary<string, NaiveKey>();
        var watch = Stopwatch.StartNew();
        foreach (var snapshot in batch)
        {
            var row = new NaiveSnapshot { HostId = 1, Probe = 1, StartUnixMs = snapshot.StartUnixMs, Sequence = (long)snapshot.Sequence };
            db.Snapshots.Add(row);
            foreach (var r in snapshot.Rows)
            {
                if (!keyIds.TryGetValue(r.Key, out var key))
                {
                    keyIds[r.Key] = key = new NaiveKey { Text = r.Key };
                    db.Keys.Add(key);
                }

                db.Samples.Add(new NaiveSample { Snapshot = row, Key = key, First = (long)r.Values[0], Second = (long)r.Values[1] });
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return watch.Elapsed;
    }

    private static async Task<TimeSpan> TimeAsync(Func<string, Task<TimeSpan>> write)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-writepath-{Guid.NewGuid():N}.db");
        try
        {
            return await write(path).ConfigureAwait(false);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
