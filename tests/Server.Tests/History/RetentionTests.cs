using Tracefleet.Server.History;
using Tracefleet.Server.History.Maintenance;
using Tracefleet.Server.History.Tiers;
using Tracefleet.Server.Ingest;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.History;

/// <summary>Retention by age: exactly the rows past their tier's cutoff go, and never a raw snapshot not yet rolled up.</summary>
public abstract class RetentionTests(PostgresCluster? postgres)
{
    private const long Now = 1_795_672_800_000 + (37 * 60_000) + 4_321;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Apply_SnapshotsAndBucketsAroundTheCutoffs_DeletesExactlyThosePastThem()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var store = await FiveHoursAsync(ct);
        var (host, starts) = (await store.ScalarAsync("SELECT Id FROM Hosts", ct), FiveHours);
        // Not rolled up yet: kept whatever its age.
        await store.InsertAsync([HistoryDb.Snapshot(host, 100_000, StoredProbes.Kmem, Now - (4 * 3_600_000L), [("filp", 1, 1)])], ct);

        var rawCutoff = Now - (90 * 60_000L) - 500;
        var minuteCutoff = Now - (3 * 3_600_000L) - 30_000;
        var hourCutoff = Now - (4 * 3_600_000L);
        var minutes = starts.Select(s => Tier.Minute.BucketStart(s)).Distinct().ToList();
        var hours = starts.Select(s => Tier.Hour.BucketStart(s)).Distinct().ToList();

        var deleted = await Retention.ApplyAsync(store, rawCutoff, minuteCutoff, hourCutoff, batch: 64, ct);

        var keptRaw = starts.Where(s => s >= rawCutoff).Order().Append(Now - (4 * 3_600_000L)).Order().ToList();
        var keptMinutes = minutes.Where(b => b + Tiers.MinuteMs > minuteCutoff).Order().ToList();
        var keptHours = hours.Where(b => b + Tiers.HourMs > hourCutoff).Order().ToList();
        Assert.Equal(keptRaw, await ColumnAsync(store, "SELECT StartUnixMs FROM Snapshots ORDER BY StartUnixMs", ct));
        Assert.Equal(keptMinutes, await ColumnAsync(store, "SELECT BucketStartUnixMs FROM Rollups WHERE Tier = 1 AND Probe = 1 ORDER BY 1", ct));
        Assert.Equal(keptHours, await ColumnAsync(store, "SELECT BucketStartUnixMs FROM Rollups WHERE Tier = 2 AND Probe = 1 ORDER BY 1", ct));
        Assert.Equal(starts.Count + 1 - keptRaw.Count + (minutes.Count - keptMinutes.Count) + (hours.Count - keptHours.Count), deleted);
    }

    [Fact]
    public async Task Apply_PackedBlocks_DeletesWholeBlocksThatEndedByTheRawCutoff()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var store = await FiveHoursAsync(ct);
        var starts = FiveHours;
        // Packed but for the blocks of the last minutes.
        await store.PackAsync(Now, ct);
        var blocks = starts.Select(RawPacking.BlockStart).Where(b => b + RawPacking.BlockMs <= Now - RawPacking.GraceMs).Distinct().Order().ToList();
        Assert.Equal(blocks, await ColumnAsync(store, "SELECT BlockStartUnixMs FROM RawBlocks ORDER BY 1", ct));

        var rawCutoff = Now - (90 * 60_000L) - 500;
        await Retention.ApplyAsync(store, rawCutoff, long.MinValue, long.MinValue, batch: 3, ct);

        // A block the cutoff falls in stays whole; the rows left (the blocks not closed yet) are all newer than the cutoff.
        Assert.Equal(blocks.Where(b => b + RawPacking.BlockMs > rawCutoff).ToList(), await ColumnAsync(store, "SELECT BlockStartUnixMs FROM RawBlocks ORDER BY 1", ct));
        Assert.Equal(starts.Where(s => s >= blocks[^1] + RawPacking.BlockMs).Order().ToList(), await ColumnAsync(store, "SELECT StartUnixMs FROM Snapshots ORDER BY 1", ct));
    }

    [Fact]
    public void Cutoffs_RawRetentionShorterThanIngestAcceptsResends_KeepsRawForTheResendWindow()
    {
        var history = new HistoryOptions { RawRetention = TimeSpan.FromHours(1), MinuteRetention = TimeSpan.FromDays(2), HourRetention = TimeSpan.FromDays(3) };
        var limits = new LimitsOptions { MaxSnapshotAgeSeconds = 7200, MaxClockSkewSeconds = 60 };

        var (raw, minute, hour) = HistoryMaintenance.Cutoffs(history, limits, Now);

        Assert.Equal(Now - 7_260_000, raw);
        Assert.Equal(Now - (2 * 86_400_000L), minute);
        Assert.Equal(Now - (3 * 86_400_000L), hour);
    }

    /// <summary>One start every 7 s over the 5 hours before <see cref="Now"/>, newest first.</summary>
    private static List<long> FiveHours => [.. Enumerable.Range(0, 5 * 3600 / 7).Select(i => Now - (i * 7_000L))];

    /// <summary>A store holding one host's kmem snapshot at each of <see cref="FiveHours"/>, rolled up.</summary>
    private async Task<HistoryDb> FiveHoursAsync(CancellationToken ct)
    {
        var store = await HistoryDb.CreateAsync(postgres, ct);
        var host = await store.AddHostAsync("a", ct);
        await store.InsertAsync(FiveHours.Select((s, i) => HistoryDb.Snapshot(host, (ulong)i + 1, StoredProbes.Kmem, s, [("dentry", (ulong)i, 1)])), ct);
        await store.RollUpAllAsync(100, ct);
        return store;
    }

    private static async Task<List<long>> ColumnAsync(HistoryDb store, string sql, CancellationToken ct)
    {
        var values = new List<long>();
        await using var command = store.Connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.GetInt64(0));
        }

        return values;
    }
}

/// <summary>Retention on a SQLite file.</summary>
public sealed class SqliteRetentionTests() : RetentionTests(null);

/// <summary>Retention on PostgreSQL.</summary>
public sealed class PostgresRetentionTests(PostgresFixture fixture) : RetentionTests(fixture.Cluster), IClassFixture<PostgresFixture>;
