using Tracefleet.Server.History.Maintenance;
using Tracefleet.Server.History.Tiers;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.History;

/// <summary>
/// Two servers sharing a database each run rollups. Here the race is forced: between a pass's read and its
/// write, another pass rolls the same snapshots up and moves the mark. The late pass must be refused and
/// leave nothing behind, so every sample is in the rollups exactly once. And a pass cut short between its chunks (a crash)
/// is finished over the same snapshots without merging its committed buckets twice.
/// </summary>
public abstract class RollupRaceTests(PostgresCluster? postgres)
{
    private const long T0 = 1_795_672_800_000;

    [Fact]
    public async Task RollUp_AnotherPassWinsBetweenReadAndWrite_LatePassRefusedAndCountsExact()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        await using var store = await NinetySecondsAsync(ct);

        var late = new InterleavedWrites(store, () => Rollups.RollUpOnceAsync(store.Connection, store, 1000, Rollups.DefaultChunkBuckets, ct));
        await Assert.ThrowsAsync<RollupRaceException>(() => Rollups.RollUpOnceAsync(store.Connection, late, 1000, Rollups.DefaultChunkBuckets, ct));

        Assert.Equal(90, await store.ScalarAsync("SELECT RolledUpToSnapshotId FROM HistoryState", ct) - await store.ScalarAsync("SELECT MIN(Id) FROM Snapshots", ct) + 1);
        Assert.Equal(90 * 2, await RolledUpSamplesAsync(store, Tier.Minute, ct));
        await Folding.FoldAsync(store.Connection, store, HistoryDb.FoldEverything, Rollups.DefaultChunkBuckets, ct);
        foreach (var tier in Tiers.CoarsestFirst)
        {
            Assert.Equal(90 * 2, await RolledUpSamplesAsync(store, tier, ct));
        }
    }

    [Fact]
    public async Task RollUp_PassCutShortBetweenChunks_FinishedOverTheSameSnapshotsEachSampleOnce()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        // 90 seconds over two minutes: a pass of the first 60 writes their minute's bucket (the hour and day are built once
        // they close) and is cut short before it moves the mark.
        await using var store = await NinetySecondsAsync(ct);

        Assert.True(await store.CutPassShortAsync(60, chunkBuckets: 1, committed: 1, ct));
        var firstId = await store.ScalarAsync("SELECT MIN(Id) FROM Snapshots", ct);
        Assert.Equal(firstId - 1, await store.ScalarAsync("SELECT RolledUpToSnapshotId FROM HistoryState", ct));
        Assert.Equal(firstId + 59, await store.ScalarAsync("SELECT RollupPassToSnapshotId FROM HistoryState", ct));
        Assert.Equal(1, await store.ScalarAsync($"SELECT COUNT(*) FROM Rollups WHERE MergedToSnapshotId = {firstId + 59}", ct));

        await store.RollUpAllAsync(60, ct, chunkBuckets: 1);

        Assert.Equal(firstId + 89, await store.ScalarAsync("SELECT RolledUpToSnapshotId FROM HistoryState", ct));
        Assert.Equal(0, await store.ScalarAsync("SELECT RollupPassToSnapshotId FROM HistoryState", ct));
        foreach (var tier in Tiers.CoarsestFirst)
        {
            Assert.Equal(90 * 2, await RolledUpSamplesAsync(store, tier, ct));
        }
    }

    [Fact]
    public async Task RollUp_HoursBuiltBetweenReadAndWrite_PassRefusedThenMergesIntoTheBuiltHour()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        await using var store = await NinetySecondsAsync(ct);
        await store.RollUpAllAsync(1000, ct, foldAtUnixMs: T0);
        // A late second of the same hour arrives; while a pass takes it for minutes only, another server builds the hour.
        var host = await store.ScalarAsync("SELECT Id FROM Hosts", ct);
        await store.InsertAsync([HistoryDb.Snapshot(host, 500, StoredProbes.Kmem, T0 + 200_000, [("dentry", 1, 1)])], ct);

        var folding = new InterleavedWrites(store, () => Folding.FoldAsync(store.Connection, store, HistoryDb.FoldEverything, Rollups.DefaultChunkBuckets, ct));
        await Assert.ThrowsAsync<RollupRaceException>(() => Rollups.RollUpOnceAsync(store.Connection, folding, 1000, Rollups.DefaultChunkBuckets, ct));
        Assert.Equal(90 * 2, await RolledUpSamplesAsync(store, Tier.Hour, ct));

        await store.RollUpAllAsync(1000, ct);
        foreach (var tier in Tiers.CoarsestFirst)
        {
            Assert.Equal((90 * 2) + 1, await RolledUpSamplesAsync(store, tier, ct));
        }
    }

    /// <summary>A store holding one host's 90 kmem seconds from <see cref="T0"/>, two keys each, none rolled up.</summary>
    private async Task<HistoryDb> NinetySecondsAsync(CancellationToken ct)
    {
        var store = await HistoryDb.CreateAsync(postgres, ct);
        var host = await store.AddHostAsync("a", ct);
        await store.InsertAsync(Enumerable.Range(0, 90).Select(i =>
            HistoryDb.Snapshot(host, (ulong)i + 1, StoredProbes.Kmem, T0 + (i * 1000L), [("dentry", (ulong)i, 1), ("filp", 2, (ulong)i)])), ct);
        return store;
    }

    private static async Task<long> RolledUpSamplesAsync(HistoryDb store, Tier tier, CancellationToken ct)
    {
        var payloads = new List<byte[]>();
        await using (var command = store.Connection.CreateCommand())
        {
            command.CommandText = $"SELECT Payload FROM Rollups WHERE Tier = {(int)tier}";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                payloads.Add((byte[])reader.GetValue(0));
            }
        }

        return payloads.Sum(p => RollupStats.Of(p).Values.Sum(s => s.Count));
    }

    /// <summary>Runs <paramref name="meanwhile"/> (another server's whole pass) just before each write it is given.</summary>
    private sealed class InterleavedWrites(HistoryDb store, Func<Task<int>> meanwhile) : IHistoryWrites
    {
        public async Task<int> RunAsync(HistoryWrite write, CancellationToken cancellationToken)
        {
            await meanwhile();
            return await store.RunAsync(write, cancellationToken);
        }
    }
}

/// <summary>The forced rollup race on a SQLite file.</summary>
public sealed class SqliteRollupRaceTests() : RollupRaceTests(null);

/// <summary>The forced rollup race on PostgreSQL.</summary>
public sealed class PostgresRollupRaceTests(PostgresFixture fixture) : RollupRaceTests(fixture.Cluster), IClassFixture<PostgresFixture>;
