using Tracefleet.Server.History;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Queries;
using Tracefleet.Server.History.Tiers;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.History;

/// <summary>
/// Rows of three values, as a probe with three columns would store them: the reads take the width from each payload,
/// so sums, ranking, series and the latest snapshot carry every value. The catalogue has no such probe, so the
/// payloads are written here and stored under kmem's number.
/// </summary>
public abstract class WideRowsTests(PostgresCluster? postgres)
{
    private const long Minute = 1_795_672_800_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void KeySums_ThreeValueContributions_SumEachValueSaturatedAndCountHosts()
    {
        var sums = new KeySums();

        sums.Add(1, 0, 7, [1, 2, 3]);
        sums.Add(1, 0, 7, [ulong.MaxValue, 0, 4]);
        sums.Add(2, 5, 7, [0, 5, 0]);

        var total = Assert.Single(sums.Keys).Value;
        Assert.Equal(RowValues.Of(ulong.MaxValue, 7, 7), total.Sums);
        Assert.Equal(2, total.Hosts);
    }

    [Fact]
    public void KeySums_HostsInterleavedAcrossReads_EachCountedOnceAKey()
    {
        // Reads come slice by slice, each ordered by host: the same (key, host) is seen again in every slice.
        var random = new Random(5);
        var sums = new KeySums();
        var model = new Dictionary<long, HashSet<long>>();
        for (var slice = 0; slice < 40; slice++)
        {
            foreach (var host in Enumerable.Range(0, 300).Where(_ => random.Next(3) == 0).Select(h => (long)(h * 7) + 1000))
            {
                foreach (var key in Enumerable.Range(0, 20).Where(_ => random.Next(2) == 0).Select(k => k < 15 ? k : host * 100 + k))
                {
                    sums.Add(host, 0, key, [1]);
                    (model.TryGetValue(key, out var hosts) ? hosts : model[key] = []).Add(host);
                }
            }
        }

        Assert.Equal(model.ToDictionary(m => m.Key, m => m.Value.Count), sums.Keys.ToDictionary(k => k.Key, k => k.Value.Hosts));
    }

    [Fact]
    public void BucketSums_ThreeValueContributions_SumEachValuePerBucket()
    {
        var sums = new BucketSums(null);

        sums.Add(1, 0, 7, [1, 2, 3]);
        sums.Add(1, 0, 8, [10, 20, 30]);
        sums.Add(1, 1, 7, [4, 0, 6]);

        Assert.Equal(RowValues.Of(11, 22, 33), sums.Buckets[(1, 0, 0)].Sums);
        Assert.Equal(RowValues.Of(4, 0, 6), sums.Buckets[(1, 0, 1)].Sums);
    }

    [Fact]
    public async Task Top_ThreeValueRollupAndRawRows_SumsEveryValueAndBreaksTiesByTheFollowingColumns()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var store = await HistoryDb.CreateAsync(postgres, ct);
        var host = await store.AddHostAsync("a", ct);
        var (a, b, c) = (await KeyAsync(store, "a", ct), await KeyAsync(store, "b", ct), await KeyAsync(store, "c", ct));
        // A rolled-up minute (in its hour and day), then raw seconds in the next minute.
        var rollup = new Dictionary<long, KeyStats> { [a] = Stats(60, 4, 1, 2), [b] = Stats(60, 4, 1, 0) };
        await RollupAsync(store, host, Minute, RollupPayload.Encode(new PackedWriter(), rollup, 3), ct);
        await SnapshotAsync(store, host, 1, Minute + Tiers.MinuteMs, [new(a, RowValues.Of(1, 0, 7)), new(b, RowValues.Of(1, 0, 2)), new(c, RowValues.Of(5, 3, 0))], ct);
        await SnapshotAsync(store, host, 2, Minute + Tiers.MinuteMs + 1000, [new(c, RowValues.Of(0, 0, 1))], ct);

        var top = await store.Queries.TopAsync(host, StoredProbes.Kmem, long.MinValue, long.MaxValue, 0, ct);

        // All three rank 5 first; c's second value decides it, then a's third.
        Assert.Equal([new("c", RowValues.Of(5, 3, 1)), new("a", RowValues.Of(5, 1, 9)), new KeyTotals("b", RowValues.Of(5, 1, 2))], top);
        Assert.Equal(["c", "a"], (await store.Queries.TopAsync(host, StoredProbes.Kmem, long.MinValue, long.MaxValue, 2, ct)).Select(t => t.Key));
    }

    [Fact]
    public async Task SeriesAndLatest_ThreeValueRows_CarryEveryValue()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var store = await HistoryDb.CreateAsync(postgres, ct);
        var host = await store.AddHostAsync("a", ct);
        var (a, b) = (await KeyAsync(store, "a", ct), await KeyAsync(store, "b", ct));
        await SnapshotAsync(store, host, 1, Minute, [new(a, RowValues.Of(1, 2, 3)), new(b, RowValues.Of(9, 0, 1))], ct);
        await SnapshotAsync(store, host, 2, Minute + 1000, [new(a, RowValues.Of(10, 20, 30))], ct);

        var series = await store.Queries.SeriesAsync([host], [], StoredProbes.Kmem, Minute, Minute + 2000, 1000, ct);
        var latest = await store.Queries.LatestAsync(host, StoredProbes.Kmem, 0, long.MaxValue, ct);
        var compared = await store.Queries.CompareAsync([host, host], StoredProbes.Kmem, Minute, Minute + 2000, 10, 10, ct);

        // One snapshot per bucket: its total is the bucket's peak and low second.
        Assert.Equal(
            [new SeriesBucket(host, null, 0, RowValues.Of(10, 2, 4), RowValues.Of(10, 2, 4), RowValues.Of(10, 2, 4)),
                new SeriesBucket(host, null, 1, RowValues.Of(10, 20, 30), RowValues.Of(10, 20, 30), RowValues.Of(10, 20, 30))],
            series);
        Assert.Equal([new KeyTotals("a", RowValues.Of(10, 20, 30))], latest!.Rows);
        Assert.Equal([RowValues.Of(11, 22, 33), RowValues.Of(11, 22, 33)], compared.Single(k => k.Key == "a").Values);
    }

    private static KeyStats Stats(long count, params ulong[] sums)
    {
        var stats = default(KeyStats);
        stats.Add(count, sums, sums, sums);
        return stats;
    }

    private static async Task<long> KeyAsync(HistoryDb store, string text, CancellationToken cancellationToken)
    {
        await using var insert = Sql.Command(store.Connection, null, "INSERT INTO Keys (Text) VALUES (@text) RETURNING Id", "@text");
        Sql.Set(insert, ("@text", text));
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task SnapshotAsync(HistoryDb store, long host, long sequence, long start, KeyRow[] rows, CancellationToken cancellationToken)
    {
        await using var insert = Sql.Command(store.Connection, null,
            """
            INSERT INTO Snapshots (HostId, Probe, StartUnixMs, DurationMs, Epoch, Sequence, MalformedLines, Payload)
            VALUES (@host, @probe, @start, 1000, 1, @sequence, 0, @payload)
            """,
            "@host", "@probe", "@start", "@sequence", "@payload");
        Sql.Set(insert, ("@host", host), ("@probe", (long)StoredProbes.Kmem.Id), ("@start", start), ("@sequence", sequence),
            ("@payload", SnapshotPayload.Encode(new PackedWriter(), rows, 3)));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task RollupAsync(HistoryDb store, long host, long start, byte[] payload, CancellationToken cancellationToken)
    {
        await using var insert = Sql.Command(store.Connection, null,
            "INSERT INTO Rollups (Tier, HostId, Probe, BucketStartUnixMs, Payload) VALUES (@tier, @host, @probe, @start, @payload)",
            "@tier", "@host", "@probe", "@start", "@payload");
        // Every tier's bucket holds what was rolled up, as the rollup pass leaves them.
        foreach (var tier in Tiers.CoarsestFirst)
        {
            Sql.Set(insert, ("@tier", (long)tier), ("@host", host), ("@probe", (long)StoredProbes.Kmem.Id), ("@start", tier.BucketStart(start)), ("@payload", payload));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>Three-value rows on a SQLite file.</summary>
public sealed class SqliteWideRowsTests() : WideRowsTests(null);

/// <summary>Three-value rows on PostgreSQL.</summary>
public sealed class PostgresWideRowsTests(PostgresFixture fixture) : WideRowsTests(fixture.Cluster), IClassFixture<PostgresFixture>;
