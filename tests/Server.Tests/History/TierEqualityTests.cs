using Tracefleet.Server.History;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Maintenance;
using Tracefleet.Server.History.Queries;
using Tracefleet.Server.History.Tiers;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.History;

/// <summary>
/// Property test: for random snapshots (hosts, probes, keys, values, times across hour edges, late arrivals),
/// every query answered through rollups equals the sums of the raw data, computed here independently
/// (exactly, in 128 bits, then saturated at 2^64 − 1 as the store promises); and a series' peaks and lows equal the
/// greatest and least value of a single snapshot, per key (absent counting 0 for the low) and per host total; all of it
/// again while raw snapshots are packed into blocks, partly, cut short, with late ones merged in, and once all are.
/// </summary>
public abstract class TierEqualityTests(PostgresCluster? postgres)
{
    private const long T0 = 1_795_672_800_000 - (7 * 60_000) - 12_345;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 12)];

    public static TheoryData<int> HugeSeeds() => [.. Enumerable.Range(1, 4)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task Queries_RandomDataRolledUp_EqualRawSums(int seed) => QueriesEqualRawSumsAsync(seed, UsualValues);

    [Theory]
    [MemberData(nameof(HugeSeeds))]
    public Task Queries_HugeValuesRolledUp_EqualRawSumsSaturated(int seed) => QueriesEqualRawSumsAsync(seed, HugeValues);

    private async Task QueriesEqualRawSumsAsync(int seed, Func<Random, (ulong First, ulong Second)> values)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        var random = new Random(seed);
        await using var store = await HistoryDb.CreateAsync(postgres, ct);
        var hosts = new[] { await store.AddHostAsync("a", ct), await store.AddHostAsync("b", ct), await store.AddHostAsync("c", ct) };
        var model = new List<Sample>();
        var shots = new List<Shot>();

        // Two waves: the second lands after a rollup pass, partly in buckets already rolled up (late data), and partly in
        // raw blocks already packed. Packing is cut short after a few blocks, as by a crash, then goes on.
        var sent = new List<Tracefleet.Server.History.PendingSnapshot>();
        for (var wave = 0; wave < 2; wave++)
        {
            var batch = RandomSnapshots(random, hosts, wave, model, shots, values);
            sent.AddRange(batch);
            await store.InsertAsync(batch, ct);
            // Hours and days built up to a random point: the rest is read from minutes, and late snapshots go into both.
            var now = T0 + random.NextInt64(4 * Tiers.HourMs);
            await store.RollUpAllAsync(random.Next(1, 300), ct, chunkBuckets: random.Next(1, 40), foldAtUnixMs: random.Next(3) == 0 ? HistoryDb.FoldEverything : now);
            // Minutes settled up to a random point: what whole-fleet tops keep of them, the next wave's late snapshots change.
            await Rollups.SettleAsync(store, random.Next(3) == 0 ? HistoryDb.FoldEverything : now, ct);
            await store.CutPackingShortAsync(now, random.Next(1, 100), committed: random.Next(0, 4), ct);
            await store.PackAsync(now, ct, batch: random.Next(1, 100));
            await QueriesAsync(5);
        }

        Assert.True(await store.ScalarAsync("SELECT COUNT(*) FROM RawBlocks", ct) > 0);

        // Some snapshots are left unrolled: queries must still see them (from raw). And a pass over some of them is cut
        // short between chunks, as by a crash: its committed buckets hold snapshots still above the mark.
        await store.InsertAsync(RandomSnapshots(random, hosts, 2, model, shots, values), ct);
        // A pass has three buckets at least (a minute, hour and day), so chunks of one or two leave its last job (the mark's move) undone.
        Assert.True(await store.CutPassShortAsync(random.Next(20, 300), chunkBuckets: random.Next(1, 3), committed: random.Next(1, 3), ct));
        Assert.True(await store.ScalarAsync("SELECT RollupPassToSnapshotId - RolledUpToSnapshotId FROM HistoryState", ct) > 0);

        await QueriesAsync(25);

        // The pass cut short is finished over the same snapshots, then the rest is rolled up: each counted once. Hours and
        // days are not built while it is under way.
        Assert.Equal(0, await Folding.FoldAsync(store.Connection, store, HistoryDb.FoldEverything, 10, ct));
        await store.RollUpAllAsync(random.Next(1, 300), ct, chunkBuckets: random.Next(1, 40), foldAtUnixMs: T0 + random.NextInt64(4 * Tiers.HourMs));
        Assert.Equal(0, await store.ScalarAsync("SELECT RollupPassToSnapshotId FROM HistoryState", ct));
        await QueriesAsync(10);

        // Every block closed and packed, late snapshots merged into theirs; then resends of stored snapshots, packed or
        // not, are recognised as such and change nothing.
        await store.RollUpAllAsync(random.Next(1, 300), ct);
        await store.PackAsync(T0 + (5 * Tiers.HourMs), ct, batch: random.Next(1, 300));
        Assert.Equal(0, await store.ScalarAsync("SELECT COUNT(*) FROM Snapshots", ct));
        var resent = sent.Where(_ => random.Next(4) == 0).ToList();
        Assert.All(await store.InsertAsync(resent, ct), outcome => Assert.Equal(Tracefleet.Server.History.StoreOutcome.AlreadyStored, outcome));
        await QueriesAsync(10);

        async Task QueriesAsync(int count)
        {
            for (var query = 0; query < count; query++)
            {
                var probe = random.Next(2) == 0 ? StoredProbes.Kmem : StoredProbes.PageFaults;
                var (from, to) = RandomRange(random);
                var selected = hosts.Where(_ => random.Next(3) > 0).DefaultIfEmpty(hosts[0]).ToList();
                var inRange = model.Where(m => m.Probe == probe && m.Start >= from && m.Start < to).ToList();

                var expectedTop = inRange.Where(m => m.Host == hosts[0]).GroupBy(m => m.Key)
                    .Select(g => new KeyTotals(g.Key, Totals(g))).ToList();
                expectedTop.Sort((a, b) => Ranking.TopOrder(a.Values, a.Key, b.Values, b.Key));
                var top = await store.Queries.TopAsync(hosts[0], probe, from, to, 0, ct);
                Assert.Equal(expectedTop, top);

                var expectedFleet = inRange.Where(m => selected.Contains(m.Host)).GroupBy(m => m.Key)
                    .Select(g => new FleetKeyTotals(g.Key, Totals(g), g.Select(m => m.Host).Distinct().Count()))
                    .Order(Comparer<FleetKeyTotals>.Create((a, b) => Ranking.TopOrder(a.Values, a.Key, b.Values, b.Key))).Take(5).ToList();
                Assert.Equal(expectedFleet, await store.Queries.FleetTopAsync(selected, probe, from, to, 5, ct));

                // Every host: settled buckets' fleet-wide sums are kept between queries, and must still be the raw sums.
                var expectedWhole = inRange.GroupBy(m => m.Key)
                    .Select(g => new FleetKeyTotals(g.Key, Totals(g), g.Select(m => m.Host).Distinct().Count()))
                    .Order(Comparer<FleetKeyTotals>.Create((a, b) => Ranking.TopOrder(a.Values, a.Key, b.Values, b.Key))).Take(5).ToList();
                Assert.Equal(expectedWhole, await store.Queries.FleetTopAsync(null, probe, from, to, 5, ct));

                if (from != long.MinValue && to != long.MaxValue)
                {
                    var step = new[] { 1000L, 7000, 60_000, 300_000, 3_600_000, 5_400_000 }[random.Next(6)];
                    var rowsOf = model.ToLookup(m => (m.Host, m.Sequence));
                    List<IEnumerable<Sample>> Seconds(long host, long bucket) => [.. shots
                        .Where(s => s.Host == host && s.Probe == probe && s.Start >= from && s.Start < to && (s.Start - from) / step == bucket)
                        .Select(s => rowsOf[(s.Host, s.Sequence)])];
                    var expectedSeries = inRange.Where(m => selected.Contains(m.Host))
                        .GroupBy(m => (m.Host, Bucket: (m.Start - from) / step))
                        .Select(g =>
                        {
                            var seconds = Seconds(g.Key.Host, g.Key.Bucket).Select(Totals).ToList();
                            return new SeriesBucket(g.Key.Host, null, g.Key.Bucket, Totals(g), Extreme(seconds, Enumerable.Max), Extreme(seconds, Enumerable.Min));
                        })
                        .OrderBy(b => b.HostId).ThenBy(b => b.Bucket).ToList();
                    Assert.Equal(expectedSeries, await store.Queries.SeriesAsync(selected, [], probe, from, to, step, ct));

                    var key = Keys[random.Next(Keys.Length)];
                    var expectedKey = inRange.Where(m => selected.Contains(m.Host) && m.Key == key)
                        .GroupBy(m => (m.Host, Bucket: (m.Start - from) / step))
                        .Select(g =>
                        {
                            // Each second of the bucket: the key's values, or 0 where the snapshot lacked it.
                            var seconds = Seconds(g.Key.Host, g.Key.Bucket).Select(rows => Totals(rows.Where(m => m.Key == key))).ToList();
                            return new SeriesBucket(g.Key.Host, key, g.Key.Bucket, Totals(g), Extreme(seconds, Enumerable.Max), Extreme(seconds, Enumerable.Min));
                        })
                        .OrderBy(b => b.HostId).ThenBy(b => b.Bucket).ToList();
                    Assert.Equal(expectedKey, await store.Queries.SeriesAsync(selected, [key, "never-seen"], probe, from, to, step, ct));
                }
            }
        }
    }

    [Fact]
    public Task Rollups_RandomData_HoldCountSumMinMaxOfEachKey() => RollupsHoldStatisticsAsync(UsualValues);

    [Fact]
    public Task Rollups_HugeValues_HoldCountSaturatedSumMinMaxOfEachKey() => RollupsHoldStatisticsAsync(HugeValues);

    private async Task RollupsHoldStatisticsAsync(Func<Random, (ulong First, ulong Second)> values)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        var random = new Random(99);
        await using var store = await HistoryDb.CreateAsync(postgres, ct);
        var hosts = new[] { await store.AddHostAsync("a", ct) };
        var model = new List<Sample>();
        await store.InsertAsync(RandomSnapshots(random, hosts, 0, model, [], values), ct);
        await store.RollUpAllAsync(37, ct);
        await store.InsertAsync(RandomSnapshots(random, hosts, 1, model, [], values), ct);
        await store.RollUpAllAsync(1000, ct);

        var rollups = new List<(Tier Tier, Probe Probe, long Start, byte[] Payload)>();
        await using (var command = store.Connection.CreateCommand())
        {
            command.CommandText = "SELECT r.Tier, r.Probe, r.BucketStartUnixMs, r.Payload FROM Rollups r";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rollups.Add(((Tier)reader.GetInt64(0), Probe.FromStored(reader.GetInt64(1)), reader.GetInt64(2), (byte[])reader.GetValue(3)));
            }
        }

        var stored = 0;
        foreach (var (tier, probe, start, payload) in rollups)
        {
            var names = await store.Queries.ReadAsync(r => r.KeyNamesAsync(RollupStats.Of(payload).Keys, ct), ct);
            foreach (var (keyId, stats) in RollupStats.Of(payload))
            {
                var samples = model.Where(m => m.Probe == probe && tier.BucketStart(m.Start) == start && m.Key == names[keyId]).ToList();
                Assert.Equal(samples.Count, stats.Count);
                Assert.Equal((Total(samples.Select(m => m.First)), samples.Min(m => m.First), samples.Max(m => m.First)), (stats.Sums[0], stats.Mins[0], stats.Maxes[0]));
                Assert.Equal((Total(samples.Select(m => m.Second)), samples.Min(m => m.Second), samples.Max(m => m.Second)), (stats.Sums[1], stats.Mins[1], stats.Maxes[1]));
                stored++;
            }
        }

        // Every (tier, probe, bucket, key) of the model is in exactly one stored entry.
        var expected = model.SelectMany(m => Tiers.CoarsestFirst.Select(t => (t, m.Probe, t.BucketStart(m.Start), m.Key))).Distinct().Count();
        Assert.Equal(expected, stored);
    }

    [Fact]
    public async Task Series_RollupsWrittenBeforeSnapshotTotals_TotalPeakAndLowsNullKeyPeaksKept()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var store = await HistoryDb.CreateAsync(postgres, ct);
        var host = await store.AddHostAsync("a", ct);
        const long Old = 1_795_672_800_000, New = Old + Tiers.MinuteMs;
        // Per minute: "a" every second, "b" once, in the host's busiest second (1 + 100).
        ulong sequence = 0;
        IEnumerable<PendingSnapshot> Minute(long start) =>
        [
            HistoryDb.Snapshot(host, ++sequence, StoredProbes.PageFaults, start, [("a", 5, 0)]),
            HistoryDb.Snapshot(host, ++sequence, StoredProbes.PageFaults, start + 1000, [("a", 1, 0), ("b", 100, 0)]),
            HistoryDb.Snapshot(host, ++sequence, StoredProbes.PageFaults, start + 2000, [("a", 7, 0)]),
        ];
        await store.InsertAsync([.. Minute(Old), .. Minute(New)], ct);
        await store.RollUpAllAsync(1000, ct);
        // The old minute's bucket as a release before snapshot totals wrote it: its keys only.
        await using (var read = Sql.Command(store.Connection, null, $"SELECT Payload FROM Rollups WHERE Tier = {(int)Tier.Minute} AND BucketStartUnixMs = {Old}"))
        await using (var strip = Sql.Command(store.Connection, null, "UPDATE Rollups SET Payload = @payload WHERE Tier = @tier AND BucketStartUnixMs = @start", "@payload", "@tier", "@start"))
        {
            var payload = (byte[])(await read.ExecuteScalarAsync(ct))!;
            Sql.Set(strip, ("@payload", RollupPayload.Encode(new PackedWriter(), RollupStats.Of(payload), 1)), ("@tier", (long)Tier.Minute), ("@start", Old));
            Assert.Equal(1, await strip.ExecuteNonQueryAsync(ct));
        }

        // A late second merged into both minutes: the old one's totals stay unknown rather than cover this second only.
        await store.InsertAsync([HistoryDb.Snapshot(host, ++sequence, StoredProbes.PageFaults, Old + 3000, [("a", 2, 0)]), HistoryDb.Snapshot(host, ++sequence, StoredProbes.PageFaults, New + 3000, [("a", 2, 0)])], ct);
        await store.RollUpAllAsync(1000, ct);

        var totals = await store.Queries.SeriesAsync([host], [], StoredProbes.PageFaults, Old, New + Tiers.MinuteMs, Tiers.MinuteMs, ct);
        var keys = await store.Queries.SeriesAsync([host], ["a", "b"], StoredProbes.PageFaults, Old, New + Tiers.MinuteMs, Tiers.MinuteMs, ct);

        Assert.Equal(
            [new SeriesBucket(host, null, 0, RowValues.Of(115), null, null), new SeriesBucket(host, null, 1, RowValues.Of(115), RowValues.Of(101), RowValues.Of(2))],
            totals);
        Assert.Equal(
            [
                new SeriesBucket(host, "a", 0, RowValues.Of(15), RowValues.Of(7), null), new SeriesBucket(host, "a", 1, RowValues.Of(15), RowValues.Of(7), RowValues.Of(1)),
                new SeriesBucket(host, "b", 0, RowValues.Of(100), RowValues.Of(100), null), new SeriesBucket(host, "b", 1, RowValues.Of(100), RowValues.Of(100), RowValues.Of(0)),
            ],
            keys);
    }

    [Fact]
    public async Task Scan_WeekRangeRolledUp_ReadsDayHourAndMinuteTiers()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var store = await HistoryDb.CreateAsync(postgres, ct);
        var host = await store.AddHostAsync("a", ct);
        // A snapshot every 61 s for 3.4 hours, then one an hour for three days: the week holds minutes, hours and whole days of data.
        var starts = Enumerable.Range(0, 200).Select(i => T0 + (i * 61_000L))
            .Concat(Enumerable.Range(1, 72).Select(i => T0 + (200 * 61_000L) + (i * Tiers.HourMs))).ToList();
        await store.InsertAsync(starts.Select((start, i) => HistoryDb.Snapshot(host, (ulong)i + 1, StoredProbes.PageFaults, start, [("libc.so.6", (ulong)i + 1, 0)])), ct);
        await store.RollUpAllAsync(50, ct);
        async Task<ulong> WeekAsync() => Assert.Single(await store.Queries.TopAsync(host, StoredProbes.PageFaults, T0 - 1, T0 + (7 * 86_400_000L), 0, ct)).Values[0];

        var all = await WeekAsync();
        // Without a tier's buckets, the week comes up short by what they held: each tier answered a part of it.
        var without = new List<ulong>();
        foreach (var tier in new[] { Tier.Day, Tier.Hour, Tier.Minute })
        {
            await using (var delete = store.Connection.CreateCommand())
            {
                delete.CommandText = $"DELETE FROM Rollups WHERE Tier = {(int)tier}";
                await delete.ExecuteNonQueryAsync(ct);
            }

            without.Add(await WeekAsync());
        }

        Assert.Equal((ulong)starts.Count * (ulong)(starts.Count + 1) / 2, all);
        Assert.True(all > without[0] && without[0] > without[1] && without[1] > without[2], $"week {all}, then without days, hours, minutes: {string.Join(", ", without)}");
    }

    private static readonly string[] Keys = ["libc.so.6", "ld-linux-x86-64.so.2", "python3.11", "dentry", "kmalloc-64", "filp", "x\n   5 ???", "ünï.so", "a", "b"];

    /// <summary>Mostly small counts, now and then one past 2^32 (a busy hour of a busy file); frees stay small.</summary>
    private static (ulong First, ulong Second) UsualValues(Random random) =>
        (random.Next(10) == 0 ? (ulong)random.NextInt64(1L << 40) : (ulong)random.Next(0, 500), (ulong)random.Next(0, 300));

    /// <summary>Both counts around the edges of 64 bits (and some small ones), so that most sums saturate somewhere.</summary>
    private static (ulong First, ulong Second) HugeValues(Random random) => (HugeValue(random), HugeValue(random));

    private static ulong HugeValue(Random random) => random.Next(6) switch
    {
        0 => (ulong)random.Next(0, 500),
        1 => long.MaxValue,
        2 => (ulong)long.MaxValue + 1,
        3 => ulong.MaxValue,
        4 => 5_000_000_000_000_000_000,
        _ => (ulong)random.NextInt64() << 1,
    };

    /// <summary>Both values' totals of <paramref name="samples"/>, as the store gives a key's.</summary>
    private static RowValues Totals(IEnumerable<Sample> samples) => RowValues.Of(Total(samples.Select(m => m.First)), Total(samples.Select(m => m.Second)));

    /// <summary>Per column, the greatest (or least) of the seconds' values, as a series point's peaks (or lows) must be.</summary>
    private static RowValues Extreme(List<RowValues> seconds, Func<IEnumerable<ulong>, ulong> pick) =>
        RowValues.Of(pick(seconds.Select(v => v[0])), pick(seconds.Select(v => v[1])));

    /// <summary>The sum as the store must give it: exact, or 2^64 − 1 when the exact sum does not fit.</summary>
    private static ulong Total(IEnumerable<ulong> values)
    {
        UInt128 sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum > ulong.MaxValue ? ulong.MaxValue : (ulong)sum;
    }

    private static List<Tracefleet.Server.History.PendingSnapshot> RandomSnapshots(
        Random random, long[] hosts, int wave, List<Sample> model, List<Shot> shots, Func<Random, (ulong First, ulong Second)> values)
    {
        var list = new List<Tracefleet.Server.History.PendingSnapshot>();
        foreach (var host in hosts)
        {
            for (var i = 0; i < 60; i++)
            {
                var probe = random.Next(2) == 0 ? StoredProbes.Kmem : StoredProbes.PageFaults;
                // Across three hours; late waves reuse old times (a spooled backlog).
                var start = T0 + (random.NextInt64(3 * 3_600_000L) / 1000 * 1000) + random.Next(3);
                var rows = Keys.Where(_ => random.Next(3) > 0).Select(k =>
                {
                    var (first, second) = values(random);
                    return (Key: k, First: first, Second: second);
                }).ToList();
                var sequence = (ulong)((wave * 100_000) + (host * 1000) + i + 1);
                list.Add(HistoryDb.Snapshot(host, sequence, probe, start, rows));
                model.AddRange(rows.Select(r => new Sample(host, probe, start, sequence, r.Key, r.First, probe == StoredProbes.Kmem ? r.Second : 0)));
                shots.Add(new Shot(host, probe, start, sequence));
            }
        }

        return list;
    }

    private readonly record struct Sample(long Host, Probe Probe, long Start, ulong Sequence, string Key, ulong First, ulong Second);

    /// <summary>A snapshot, rows or none: a second that counts for peaks and lows.</summary>
    private readonly record struct Shot(long Host, Probe Probe, long Start, ulong Sequence);

    private static (long From, long To) RandomRange(Random random)
    {
        var (a, b) = (T0 - 600_000 + random.NextInt64(4 * 3_600_000), T0 - 600_000 + random.NextInt64(4 * 3_600_000));
        return random.Next(6) switch
        {
            0 => (long.MinValue, long.MaxValue),
            1 => (a, long.MaxValue),
            2 => (Tiers.HourMs * (a / Tiers.HourMs), Tiers.HourMs * (b / Tiers.HourMs) + Tiers.HourMs),
            _ => (Math.Min(a, b), Math.Max(a, b) + 1),
        };
    }
}

/// <summary>The property tests on a SQLite file.</summary>
public sealed class SqliteTierEqualityTests() : TierEqualityTests(null);

/// <summary>The property tests on PostgreSQL.</summary>
public sealed class PostgresTierEqualityTests(PostgresFixture fixture) : TierEqualityTests(fixture.Cluster), IClassFixture<PostgresFixture>;
