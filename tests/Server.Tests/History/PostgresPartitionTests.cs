using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Maintenance;
using Tracefleet.Server.History.Partitions;
using Tracefleet.Server.Ingest;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.History;

/// <summary>
/// PostgreSQL's time partitions of Snapshots, RawBlocks and Rollups: made by the migration (keeping a previous release's rows),
/// created ahead and carved out of the DEFAULT partitions by maintenance, dropped whole by retention, and invisible to the
/// writer's resend and conflict checks.
/// </summary>
public sealed class PostgresPartitionTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private const long Day = 86_400_000;
    private const long Now = 1_795_672_800_000 + (37 * 60_000) + 4_321;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Nothing expires: every partition with rows is carved, none dropped.</summary>
    private static readonly (long Raw, long Minute, long Hour) KeepAll = (Now - (400 * Day), Now - (400 * Day), Now - (400 * Day));

    private static readonly PostgresPartitions Partitions = new();

    [Fact]
    public async Task Migrate_NewStore_HistoryTablesPartitionedWithDefaultPartitions()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var store = await HistoryDb.CreateAsync(fixture.Cluster, timeout.Token);

        Assert.Equal(
            ["rawblocks:r", "rollups:l", "rollups_day:r", "rollups_hour:r", "rollups_minute:r", "snapshots:r"],
            await TextsAsync(store, "SELECT c.relname || ':' || p.partstrat::text FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid ORDER BY 1", timeout.Token));
        Assert.Equal(
            ["rawblocks_default", "rollups_day_default", "rollups_default", "rollups_hour_default", "rollups_minute_default", "snapshots_default"],
            await TextsAsync(store, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' ORDER BY 1", timeout.Token));
    }

    [Fact]
    public async Task Maintain_EmptyStore_CreatesTheDayBeforeTodayAndTheDaysAhead()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var store = await HistoryDb.CreateAsync(fixture.Cluster, ct);
        var host = await store.AddHostAsync("a", ct);

        var first = await Partitions.MaintainAsync(store.Connection, store, Now, KeepAll, ct);
        var again = await Partitions.MaintainAsync(store.Connection, store, Now, KeepAll, ct);

        var today = Now - (Now % Day);
        Assert.Equal([Name("snapshots", today - Day), Name("snapshots", today), Name("snapshots", today + Day), Name("snapshots", today + (2 * Day))],
            await NamesAsync(store, "snapshots", ct));
        Assert.Equal(await NamesAsync(store, "snapshots", ct), (await NamesAsync(store, "rawblocks", ct)).Select(n => n.Replace("rawblocks", "snapshots", StringComparison.Ordinal)));
        Assert.Equal(4, (await NamesAsync(store, "rollups_minute", ct)).Count);
        Assert.InRange((await NamesAsync(store, "rollups_hour", ct)).Count, 1, 2);
        Assert.InRange((await NamesAsync(store, "rollups_day", ct)).Count, 1, 2);
        Assert.Equal(new PartitionPass(first.Created, 0, 0), first);
        Assert.Equal(new PartitionPass(0, 0, 0), again);

        // A snapshot stamped a clock skew ahead lands in a partition of its own day, not the DEFAULT one.
        await store.InsertAsync([HistoryDb.Snapshot(host, 1, StoredProbes.Kmem, Now + (47 * 3_600_000L), [("filp", 1, 1)])], ct);
        Assert.Equal([Name("snapshots", today + Day + Day)], await TextsAsync(store, "SELECT DISTINCT tableoid::regclass::text FROM snapshots", ct));
    }

    [Fact]
    public async Task Maintain_RowsInTheDefaultPartitions_CarvedIntoPartitionsOfTheirRangeWithoutLoss()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var store = await HistoryDb.CreateAsync(fixture.Cluster, ct);
        var host = await store.AddHostAsync("a", ct);
        var starts = Every(Now - (5 * Day), Now - (3 * Day), 10 * 60_000);
        await store.InsertAsync(starts.Select((s, i) => HistoryDb.Snapshot(host, (ulong)i + 1, StoredProbes.Kmem, s, [("dentry", (ulong)i, 1)])), ct);
        await store.RollUpAllAsync(500, ct);
        await store.PackAsync(Now - (4 * Day), ct);
        // Late snapshots, not rolled up yet: rows beside the packed blocks.
        await store.InsertAsync(starts.Select((s, i) => HistoryDb.Snapshot(host, (ulong)i + 100_000, StoredProbes.PageFaults, s + 1000, [("libc.so.6", 2, 0)])), ct);
        var before = await FingerprintsAsync(store, ct);
        var top = await store.Queries.TopAsync(host, StoredProbes.Kmem, long.MinValue, long.MaxValue, 0, ct);
        Assert.Equal(["rawblocks_default", "rollups_day_default", "rollups_hour_default", "rollups_minute_default", "snapshots_default"], await HoldersAsync(store, ct));

        var pass = await Partitions.MaintainAsync(store.Connection, store, Now, KeepAll, ct);

        Assert.Equal(before, await FingerprintsAsync(store, ct));
        Assert.Equal(top, await store.Queries.TopAsync(host, StoredProbes.Kmem, long.MinValue, long.MaxValue, 0, ct));
        Assert.DoesNotContain(await HoldersAsync(store, ct), h => h.EndsWith("_default", StringComparison.Ordinal));
        Assert.Contains(Name("snapshots", Now - (5 * Day) - ((Now - (5 * Day)) % Day)), await HoldersAsync(store, ct));
        Assert.Equal(before.Sum(f => f.Rows), pass.RowsCarved);
    }

    [Fact]
    public async Task Maintain_PartitionsPastTheCutoffs_DroppedWholeButNotWhileARawSnapshotIsNotRolledUp()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var store = await HistoryDb.CreateAsync(fixture.Cluster, ct);
        var host = await store.AddHostAsync("a", ct);
        var today = Now - (Now % Day);
        var (older, old) = (Every(today - (3 * Day), today - (2 * Day), 60_000), Every(today - (2 * Day), today - Day, 60_000));
        await store.InsertAsync(older.Select((s, i) => HistoryDb.Snapshot(host, (ulong)i + 1, StoredProbes.Kmem, s, [("dentry", 1, 1)])), ct);
        await store.RollUpAllAsync(2000, ct);
        await store.InsertAsync(old.Select((s, i) => HistoryDb.Snapshot(host, (ulong)i + 10_000, StoredProbes.Kmem, s, [("dentry", 1, 1)])), ct);
        await Partitions.MaintainAsync(store.Connection, store, Now, KeepAll, ct);
        Assert.Contains(Name("snapshots", today - (3 * Day)), await NamesAsync(store, "snapshots", ct));

        // Raw seconds kept until today, minutes until the day before yesterday.
        (long, long, long) cutoffs = (today, today - (2 * Day), KeepAll.Hour);
        var pass = await Partitions.MaintainAsync(store.Connection, store, Now, cutoffs, ct);

        var snapshots = await NamesAsync(store, "snapshots", ct);
        Assert.DoesNotContain(Name("snapshots", today - (3 * Day)), snapshots);
        Assert.Contains(Name("snapshots", today - (2 * Day)), snapshots);
        Assert.Equal(old.Count, await store.ScalarAsync("SELECT COUNT(*) FROM snapshots", ct));
        // The minutes of the older day were carved into a partition of their own and dropped whole.
        Assert.DoesNotContain(Name("rollups_minute", today - (3 * Day)), await NamesAsync(store, "rollups_minute", ct));
        Assert.Equal(0, await store.ScalarAsync($"SELECT COUNT(*) FROM rollups WHERE tier = 1 AND bucketstartunixms < {today - (2 * Day)}", ct));
        // The older day of raw seconds and of minutes, and yesterday's raw partitions made ahead (empty; now past the cutoff).
        Assert.Equal(4, pass.Dropped);

        // Once rolled up, the day of raw seconds goes too.
        await store.RollUpAllAsync(2000, ct);
        var later = await Partitions.MaintainAsync(store.Connection, store, Now, cutoffs, ct);

        Assert.DoesNotContain(Name("snapshots", today - (2 * Day)), await NamesAsync(store, "snapshots", ct));
        Assert.Equal(0, await store.ScalarAsync("SELECT COUNT(*) FROM snapshots", ct));
        Assert.Equal(1, later.Dropped);
        Assert.Equal(new PartitionPass(0, 0, 0), await Partitions.MaintainAsync(store.Connection, store, Now, cutoffs, ct));
        // The hours of both days are kept (their cutoff is far back) and hold every snapshot.
        var top = await store.Queries.TopAsync(host, StoredProbes.Kmem, long.MinValue, long.MaxValue, 0, ct);
        Assert.Equal((ulong)(older.Count + old.Count), Assert.Single(top).Values[0]);
    }

    [Fact]
    public async Task Maintain_ThenRetention_LeavesExactlyTheRowsRetentionAloneLeaves()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var rowsOnly = await FourDaysAsync(ct);
        await using var partitioned = await FourDaysAsync(ct);
        // Each cutoff in the middle of a day: whole partitions before it, rows deleted in the one it falls in.
        (long Raw, long Minute, long Hour) cutoffs = (Now - (36 * 3_600_000L), Now - (33 * 3_600_000L), Now - (80 * 3_600_000L));
        await Partitions.MaintainAsync(partitioned.Connection, partitioned, Now, KeepAll, ct);

        var pass = await Partitions.MaintainAsync(partitioned.Connection, partitioned, Now, cutoffs, ct);
        await Retention.ApplyAsync(partitioned, cutoffs.Raw, cutoffs.Minute, cutoffs.Hour, batch: 100, ct);
        await Retention.ApplyAsync(rowsOnly, cutoffs.Raw, cutoffs.Minute, cutoffs.Hour, batch: 100, ct);

        // Blocks of the two oldest days and minutes of the two oldest days; the raw rows of the day before them were packed.
        Assert.Equal(4, pass.Dropped);
        Assert.Equal(await FingerprintsAsync(rowsOnly, ct), await FingerprintsAsync(partitioned, ct));
        // The day of late snapshots not rolled up is past the raw cutoff but kept its partition.
        var lateDay = Now - (3 * Day) - ((Now - (3 * Day)) % Day);
        Assert.Contains(Name("snapshots", lateDay), await NamesAsync(partitioned, "snapshots", ct));
        Assert.True(lateDay + Day <= cutoffs.Raw);
    }

    /// <summary>
    /// A store of one host's kmem snapshots every 10 minutes over the 4 days before <see cref="Now"/>, rolled up and packed
    /// where closed 2 days ago, then pagefaults snapshots over the day 3 days ago, not rolled up.
    /// </summary>
    private async Task<HistoryDb> FourDaysAsync(CancellationToken ct)
    {
        var store = await HistoryDb.CreateAsync(fixture.Cluster, ct);
        var host = await store.AddHostAsync("a", ct);
        var starts = Every(Now - (4 * Day), Now, 10 * 60_000);
        await store.InsertAsync(starts.Select((s, i) => HistoryDb.Snapshot(host, (ulong)i + 1, StoredProbes.Kmem, s, [("dentry", (ulong)i, 1)])), ct);
        await store.RollUpAllAsync(500, ct, foldAtUnixMs: Now);
        await store.PackAsync(Now - (2 * Day), ct);
        var late = Every(Now - (3 * Day), Now - (2 * Day), 30 * 60_000);
        await store.InsertAsync(late.Select((s, i) => HistoryDb.Snapshot(host, (ulong)i + 100_000, StoredProbes.PageFaults, s, [("libc.so.6", 1, 0)])), ct);
        return store;
    }

    [Fact]
    public async Task Insert_ResendOrOtherContentAfterThePartitionWasCarved_AlreadyStoredOrConflict()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var store = await HistoryDb.CreateAsync(fixture.Cluster, ct);
        var host = await store.AddHostAsync("a", ct);
        var start = Now - (5 * Day);
        var first = await store.InsertAsync([Signed(HistoryDb.Snapshot(host, 1, StoredProbes.Kmem, start, [("dentry", 5, 1)]))], ct);
        await Partitions.MaintainAsync(store.Connection, store, Now, KeepAll, ct);
        Assert.Equal([Name("snapshots", start - (start % Day))], await TextsAsync(store, "SELECT DISTINCT tableoid::regclass::text FROM snapshots", ct));

        var outcomes = await store.InsertAsync(
        [
            Signed(HistoryDb.Snapshot(host, 1, StoredProbes.Kmem, start, [("dentry", 5, 1)])),
            // The same number with another second: it would go to today's partition.
            Signed(HistoryDb.Snapshot(host, 1, StoredProbes.Kmem, Now, [("dentry", 6, 1)])),
            Signed(HistoryDb.Snapshot(host, 1, StoredProbes.Kmem, start, [("dentry", 6, 1)])),
            Signed(HistoryDb.Snapshot(host, 2, StoredProbes.Kmem, Now, [("dentry", 6, 1)])),
            Signed(HistoryDb.Snapshot(host, 2, StoredProbes.Kmem, Now, [("dentry", 6, 1)])),
        ], ct);

        Assert.Equal([StoreOutcome.Stored], first);
        Assert.Equal([StoreOutcome.AlreadyStored, StoreOutcome.Conflict, StoreOutcome.Conflict, StoreOutcome.Stored, StoreOutcome.AlreadyStored], outcomes);
        Assert.Equal(2, await store.ScalarAsync("SELECT COUNT(*) FROM snapshots", ct));
    }

    [Fact]
    public async Task Migrate_StoreOfThePreviousRelease_KeepsEveryRowAndDrawsIdsAfterItsOwn()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        // The last release's tables, with the two state columns this release's rollups write (the migration before the partitions).
        await using var store = await HistoryDb.CreateAsync(fixture.Cluster, "SettledBuckets", ct);
        Assert.Equal(0, await store.ScalarAsync("SELECT COUNT(*) FROM pg_partitioned_table", ct));
        var host = await store.AddHostAsync("a", ct);
        var starts = Every(Now - (2 * Day), Now - Day - (20 * 3_600_000L), 7_000);
        await store.InsertAsync(starts.Select((s, i) => HistoryDb.Snapshot(host, (ulong)i + 1, StoredProbes.Kmem, s, [("dentry", (ulong)i, 1)])), ct);
        await store.RollUpAllAsync(500, ct);
        await store.PackAsync(Now, ct);
        await store.InsertAsync(starts.Take(50).Select((s, i) => HistoryDb.Snapshot(host, (ulong)i + 100_000, StoredProbes.PageFaults, s, [("libc.so.6", 3, 0)])), ct);
        // The newest raw row gone (packing and retention delete rows): its id must not be drawn again.
        await store.ScalarAsync("DELETE FROM snapshots WHERE id = (SELECT MAX(id) FROM snapshots)", ct);
        var lastIds = await LastIdsAsync(store, ct);
        var before = await FingerprintsAsync(store, ct);
        var top = await store.Queries.TopAsync(host, StoredProbes.Kmem, long.MinValue, long.MaxValue, 0, ct);
        Assert.All(before, f => Assert.True(f.Rows > 0, f.Table));

        await store.MigrateAsync(ct);

        Assert.Equal(6, await store.ScalarAsync("SELECT COUNT(*) FROM pg_partitioned_table", ct));
        Assert.Equal(before, await FingerprintsAsync(store, ct));
        Assert.Equal(top, await store.Queries.TopAsync(host, StoredProbes.Kmem, long.MinValue, long.MaxValue, 0, ct));
        Assert.Equal(lastIds, await LastIdsAsync(store, ct));
        await store.InsertAsync([HistoryDb.Snapshot(host, 200_000, StoredProbes.Kmem, Now, [("filp", 1, 1)])], ct);
        Assert.Equal(lastIds[0] + 1, await store.ScalarAsync("SELECT MAX(id) FROM snapshots", ct));
        await Partitions.MaintainAsync(store.Connection, store, Now, KeepAll, ct);
        Assert.Equal(before.Sum(f => f.Rows) + 1, (await FingerprintsAsync(store, ct)).Sum(f => f.Rows));
        Assert.DoesNotContain(await HoldersAsync(store, ct), h => h.EndsWith("_default", StringComparison.Ordinal));

        // And back: the previous release's tables, rows and ids as they are now.
        var now = await FingerprintsAsync(store, ct);
        lastIds = await LastIdsAsync(store, ct);
        await store.Db.GetService<IMigrator>().MigrateAsync("PackedRawTierAndFoldedTiers", ct);

        Assert.Equal(0, await store.ScalarAsync("SELECT COUNT(*) FROM pg_partitioned_table", ct));
        Assert.Equal(now, await FingerprintsAsync(store, ct));
        Assert.Equal(lastIds, await LastIdsAsync(store, ct));
    }

    private static PendingSnapshot Signed(PendingSnapshot pending) => pending with { Digest = SnapshotDigest.Of(pending.Snapshot) };

    private static List<long> Every(long from, long to, long step) => [.. Enumerable.Range(0, (int)((to - from) / step)).Select(i => from + (i * step))];

    private static string Name(string parent, long start) => $"{parent}_{DateTimeOffset.FromUnixTimeMilliseconds(start).UtcDateTime:yyyyMMdd}";

    private static async Task<List<string>> NamesAsync(HistoryDb store, string parent, CancellationToken ct) =>
        [.. (await PostgresPartitions.BoundsAsync(store.Connection, PartitionedTable.All.Single(t => t.Parent == parent), ct)).Select(b => b.Name)];

    /// <summary>The partitions that hold rows of the three history tables.</summary>
    private static async Task<List<string>> HoldersAsync(HistoryDb store, CancellationToken ct) =>
        await TextsAsync(store,
            """
            SELECT DISTINCT tableoid::regclass::text FROM snapshots UNION SELECT DISTINCT tableoid::regclass::text FROM rawblocks
            UNION SELECT DISTINCT tableoid::regclass::text FROM rollups ORDER BY 1
            """, ct);

    /// <summary>Every row of the three history tables, as (table, row count, a hash over each row's id and content).</summary>
    private static async Task<List<(string Table, long Rows, string Hash)>> FingerprintsAsync(HistoryDb store, CancellationToken ct)
    {
        var prints = new List<(string, long, string)>();
        foreach (var table in new[] { "snapshots", "rawblocks", "rollups" })
        {
            var hash = await TextsAsync(store, $"SELECT COALESCE(md5(string_agg(t::text, '|' ORDER BY id)), '') FROM {table} AS t", ct);
            prints.Add((table, await store.ScalarAsync($"SELECT COUNT(*) FROM {table}", ct), hash.Single()));
        }

        return prints;
    }

    /// <summary>The last id drawn for Snapshots, RawBlocks and Rollups.</summary>
    private static async Task<List<long>> LastIdsAsync(HistoryDb store, CancellationToken ct)
    {
        var ids = new List<long>();
        foreach (var table in new[] { "snapshots", "rawblocks", "rollups" })
        {
            ids.Add(await store.ScalarAsync($"SELECT pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')::regclass)", ct));
        }

        return ids;
    }

    private static async Task<List<string>> TextsAsync(HistoryDb store, string sql, CancellationToken ct)
    {
        var texts = new List<string>();
        await using var command = store.Connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            texts.Add(reader.GetString(0));
        }

        return texts;
    }
}
