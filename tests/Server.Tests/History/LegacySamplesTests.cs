using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Tests.History;

/// <summary>Upgrading a database from before tiered history keeps every sample: its rows are packed into the snapshots.</summary>
public sealed class LegacySamplesTests
{
    private const string Initial = "20261126062614_Initial";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Convert_DatabaseWithRowPerSample_TopsEqualTheOldSumsAndTheTableIsGone()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-legacy-{Guid.NewGuid():N}.db");
        try
        {
            await using (var db = Open(path))
            {
                await db.GetService<IMigrator>().MigrateAsync(Initial, ct);
                await db.Database.ExecuteSqlRawAsync(
                    """
                    INSERT INTO Hosts (Id, Name, Os, Kernel, Backend, AgentVersion, ProbesJson, FirstSeenUnixMs, LastSeenUnixMs) VALUES (1, 'old', '', '', '', '', '[]', 0, 0);
                    INSERT INTO Keys (Id, Text) VALUES (1, 'dentry'), (2, 'filp'), (3, 'libc.so.6');
                    INSERT INTO Snapshots (Id, HostId, Probe, StartUnixMs, DurationMs, Epoch, Sequence, MalformedLines) VALUES
                      (1, 1, 1, 1000, 1000, 1, 1, 0), (2, 1, 1, 2000, 1000, 1, 2, 0), (3, 1, 0, 2000, 1000, 1, 3, 0);
                    INSERT INTO Samples (SnapshotId, KeyId, First, Second) VALUES
                      (1, 1, 5, 4), (1, 2, 7, 7), (2, 1, 2, 1), (2, 2, 123456789012, 3), (3, 3, 9, 0);
                    """, ct);
            }

            await using (var db = Open(path))
            {
                await db.Database.MigrateAsync(ct);
                await db.Database.OpenConnectionAsync(ct);
                var converted = await LegacySamples.ConvertAsync(db.Database.GetDbConnection(), ct);

                Assert.Equal(3, converted);
                Assert.Equal(
                    [new KeyTotals("filp", 123456789019, 10), new KeyTotals("dentry", 7, 5)],
                    await TopQuery.RunAsync(db, 1, Probe.Kmem, long.MinValue, long.MaxValue, 0, ct));
                Assert.Equal([new KeyTotals("libc.so.6", 9, 0)], await TopQuery.RunAsync(db, 1, Probe.PageFaults, long.MinValue, long.MaxValue, 0, ct));
                Assert.Equal(0, await LegacySamples.ConvertAsync(db.Database.GetDbConnection(), ct));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static TracefleetDb Open(string path) =>
        new(new DbContextOptionsBuilder<TracefleetDb>().UseSqlite($"Data Source={path}").AddInterceptors(new SqlitePragmas(Microsoft.Extensions.Options.Options.Create(new StorageOptions()))).Options);
}
