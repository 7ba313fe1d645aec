using Microsoft.Extensions.Options;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Maintenance;
using Tracefleet.Server.History.Queries;
using Tracefleet.Server.History.Tiers;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.History;

/// <summary>
/// Whole-fleet tops keep settled buckets' fleet-wide sums between queries: they must answer what a scan of every host
/// answers, after late snapshots change a settled minute or built hour, and while retention deletes the oldest buckets
/// a batch at a time; the kept sums stay within their budget.
/// </summary>
public abstract class SettledBucketCacheTests(PostgresCluster? postgres)
{
    // An hour start: three hours of snapshots, every 20 s, from three hosts.
    private const long T0 = 1_795_672_800_000;
    private static readonly string[] Keys = ["kmalloc-64", "dentry", "inode_cache", "task_struct", "vm_area_struct"];

    [Fact]
    public async Task WholeFleetTop_SettledBuckets_KeptAndEqualToEveryHostScanned()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        var (store, hosts) = await SettledStoreAsync(ct);
        await using var disposeStore = store;

        // Unaligned at both ends: minutes and hours at the start and end, raw seconds at the edges.
        var (from, to) = (T0 + (17 * Tiers.MinuteMs) + 5_000, T0 + (2 * Tiers.HourMs) + (43 * Tiers.MinuteMs) + 25_000);
        var first = await AssertEqualToScanAsync(store, hosts, from, to, ct);
        var (kept, _) = store.Settled.Size;
        // 42 minutes before the first whole hour, the hour, then 43 minutes: every bucket is settled.
        Assert.Equal(42 + 1 + 43, kept);

        Assert.Equal(first, await AssertEqualToScanAsync(store, hosts, from, to, ct));
        Assert.Equal(kept, store.Settled.Size.Buckets);
    }

    [Fact]
    public async Task WholeFleetTop_LateSnapshotInSettledBuckets_Counted()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        var (store, hosts) = await SettledStoreAsync(ct);
        await using var disposeStore = store;
        var (from, to) = (T0 + (30 * Tiers.MinuteMs), T0 + (2 * Tiers.HourMs) + (30 * Tiers.MinuteMs));
        await AssertEqualToScanAsync(store, hosts, from, to, ct);
        var revision = await store.ScalarAsync("SELECT SettledRevision FROM HistoryState", ct);

        // A spooled backlog: one second in a settled minute, one in the built hour, with a key nobody had.
        await store.InsertAsync(
        [
            HistoryDb.Snapshot(hosts[1], 10_000, StoredProbes.Kmem, T0 + (40 * Tiers.MinuteMs) + 3_000, [("late-cache", 7, 3)]),
            HistoryDb.Snapshot(hosts[2], 10_000, StoredProbes.Kmem, T0 + (70 * Tiers.MinuteMs) + 3_000, [("late-cache", 5, 1)]),
        ], ct);
        await store.RollUpAllAsync(100, ct);

        Assert.True(await store.ScalarAsync("SELECT SettledRevision FROM HistoryState", ct) > revision);
        var top = await AssertEqualToScanAsync(store, hosts, from, to, ct);
        var late = Assert.Single(top, t => t.Key == "late-cache");
        Assert.Equal((12UL, 4UL, 2), (late.Values[0], late.Values[1], late.Hosts));
    }

    [Fact]
    public async Task WholeFleetTop_RetentionDeletingOldestBucketsInBatches_EqualToEveryHostScanned()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        var (store, hosts) = await SettledStoreAsync(ct);
        await using var disposeStore = store;
        var (from, to) = (T0 + 1_000, T0 + (3 * Tiers.HourMs));
        await AssertEqualToScanAsync(store, hosts, from, to, ct);
        Assert.Equal(59 + 2, store.Settled.Size.Buckets);

        // Retention's own statements, one small batch at a time: the oldest minute bucket is left with some hosts only.
        var cutoff = T0 + (5 * Tiers.MinuteMs);
        for (var batch = 0; batch < 4; batch++)
        {
            Assert.Equal(2, await Retention.ExecuteAsync(store, Retention.RollupsEndedBy(Tier.Minute, cutoff, 2), ct));
            await AssertEqualToScanAsync(store, hosts, from, to, ct);
        }

        // The first hour's three buckets, then one of the second's (in the range).
        for (var batch = 0; batch < 4; batch++)
        {
            Assert.Equal(1, await Retention.ExecuteAsync(store, Retention.RollupsEndedBy(Tier.Hour, T0 + (2 * Tiers.HourMs), 1), ct));
            await AssertEqualToScanAsync(store, hosts, from, to, ct);
        }
    }

    [Fact]
    public void Cache_OverBudget_DropsBucketsUsedLongestAgo()
    {
        var cache = new SettledBucketCache(Options.Create(new HistoryOptions { QueryCacheMb = 1 }));
        KeySums Sums(int keys)
        {
            var sums = new KeySums();
            for (var k = 0; k < keys; k++)
            {
                sums.Add(1, 0, k, [1, 2]);
            }

            return sums;
        }

        // About 0.4 MiB each: the third goes past the budget.
        cache.Put(1, Tier.Minute, 1, 0, Sums(4_000));
        cache.Put(1, Tier.Minute, 1, 60_000, Sums(4_000));
        Assert.NotNull(cache.Get(1, Tier.Minute, 1, 0));
        cache.Put(1, Tier.Minute, 1, 120_000, Sums(4_000));

        Assert.True(cache.Size.Bytes <= 1024 * 1024, $"{cache.Size.Bytes} bytes kept");
        Assert.Null(cache.Get(1, Tier.Minute, 1, 60_000));
        Assert.NotNull(cache.Get(1, Tier.Minute, 1, 120_000));

        // A later revision drops everything; a read that began before it gets nothing and keeps nothing.
        Assert.Null(cache.Get(2, Tier.Minute, 1, 120_000));
        cache.Put(1, Tier.Minute, 1, 0, Sums(10));
        Assert.Equal((0, 0L), cache.Size);
        // One bucket over the whole budget is not kept.
        cache.Put(2, Tier.Minute, 1, 0, Sums(30_000));
        Assert.Null(cache.Get(2, Tier.Minute, 1, 0));
    }

    /// <summary>A store with three hosts' snapshots over three hours, rolled up, hours built and every minute settled.</summary>
    private async Task<(HistoryDb Store, long[] Hosts)> SettledStoreAsync(CancellationToken ct)
    {
        var store = await HistoryDb.CreateAsync(postgres, ct);
        var hosts = await FillAsync(store, ct);
        await Rollups.SettleAsync(store, HistoryDb.FoldEverything, ct);
        return (store, hosts);
    }

    private static async Task<long[]> FillAsync(HistoryDb store, CancellationToken ct)
    {
        var hosts = new[] { await store.AddHostAsync("a", ct), await store.AddHostAsync("b", ct), await store.AddHostAsync("c", ct) };
        var random = new Random(5);
        var batch = new List<PendingSnapshot>();
        for (var h = 0; h < hosts.Length; h++)
        {
            for (var s = 0; s < 3 * 180; s++)
            {
                var rows = Keys.Where(_ => random.Next(3) > 0).Select(k => (k, (ulong)random.Next(1, 1000), (ulong)random.Next(0, 1000)));
                batch.Add(HistoryDb.Snapshot(hosts[h], (ulong)s + 1, StoredProbes.Kmem, T0 + (s * 20_000L) + h, rows));
            }
        }

        await store.InsertAsync(batch, ct);
        await store.RollUpAllAsync(500, ct);
        return hosts;
    }

    /// <summary>The whole-fleet top (kept buckets) equals the top of the same hosts scanned, which keeps nothing.</summary>
    private static async Task<IReadOnlyList<FleetKeyTotals>> AssertEqualToScanAsync(HistoryDb store, long[] hosts, long from, long to, CancellationToken ct)
    {
        var scanned = await store.Queries.FleetTopAsync(hosts, StoredProbes.Kmem, from, to, 0, ct);
        var whole = await store.Queries.FleetTopAsync(null, StoredProbes.Kmem, from, to, 0, ct);
        Assert.NotEmpty(scanned);
        Assert.Equal(scanned, whole);
        return whole;
    }
}

/// <summary>Kept settled buckets on a SQLite file.</summary>
public sealed class SqliteSettledBucketCacheTests() : SettledBucketCacheTests(null);

/// <summary>Kept settled buckets on PostgreSQL.</summary>
public sealed class PostgresSettledBucketCacheTests(PostgresFixture fixture) : SettledBucketCacheTests(fixture.Cluster), IClassFixture<PostgresFixture>;
