using Tracefleet.Contract.V1;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Queries;
using Tracefleet.Server.Ingest;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.History;

/// <summary>The store's write path and top query on a real database, migrated as the server does.</summary>
public abstract class StoreTests(PostgresCluster? postgres) : IAsyncLifetime
{
    private const long Second = 1000;
    private const long T0 = 1_795_672_800_000;
    private HistoryDb _store = null!;
    private long _hostId;

    public async Task InitializeAsync()
    {
        _store = await HistoryDb.CreateAsync(postgres, default);
        _hostId = await _store.AddHostAsync("db-01", default);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Insert_SameEpochAndSequenceTwice_StoredOnceCountedOnce()
    {
        var first = await InsertAsync(epoch: 7, sequence: 1, T0, "pagefaults", ("libc.so.6", 10));
        var again = await InsertAsync(epoch: 7, sequence: 1, T0, "pagefaults", ("libc.so.6", 10));
        var otherEpoch = await InsertAsync(epoch: 8, sequence: 1, T0, "pagefaults", ("libc.so.6", 5));

        Assert.Equal([StoreOutcome.Stored, StoreOutcome.AlreadyStored, StoreOutcome.Stored], [first, again, otherEpoch]);
        var top = await _store.Queries.TopAsync(_hostId, StoredProbes.PageFaults, long.MinValue, long.MaxValue, 0, default);
        Assert.Equal([new KeyTotals("libc.so.6", RowValues.Of(15, 0))], top);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Insert_SameTableInTheOtherWireForm_RecognisedAsAResendAndStoredAlike(bool firstInRowForm)
    {
        (string Key, ulong[] Values)[] rows = [("dentry", [5, 3]), ("filp", [7, 1])];
        var first = await InsertRowsAsync(epoch: 7, sequence: 1, T0, "kmem", rows, rowForm: firstInRowForm);
        var resent = await InsertRowsAsync(epoch: 7, sequence: 1, T0, "kmem", rows, rowForm: !firstInRowForm);
        var otherEpoch = await InsertRowsAsync(epoch: 8, sequence: 1, T0, "kmem", rows, rowForm: !firstInRowForm);

        Assert.Equal([StoreOutcome.Stored, StoreOutcome.AlreadyStored, StoreOutcome.Stored], [first, resent, otherEpoch]);
        var top = await _store.Queries.TopAsync(_hostId, StoredProbes.Kmem, long.MinValue, long.MaxValue, 0, default);
        Assert.Equal([new KeyTotals("filp", RowValues.Of(14, 2)), new KeyTotals("dentry", RowValues.Of(10, 6))], top);
    }

    [Fact]
    public async Task Insert_SameEpochAndSequenceWithOtherContent_ConflictAndNothingStored()
    {
        // A restored state directory numbers a new second's table like one stored before.
        var first = await InsertAsync(epoch: 7, sequence: 1, T0, "pagefaults", ("libc.so.6", 10));
        var restored = await InsertAsync(epoch: 7, sequence: 1, T0 + (86_400 * Second), "pagefaults", ("libc.so.6", 3));
        var sameSecondOtherCounts = await InsertAsync(epoch: 7, sequence: 1, T0, "pagefaults", ("libc.so.6", 11));

        Assert.Equal([StoreOutcome.Stored, StoreOutcome.Conflict, StoreOutcome.Conflict], [first, restored, sameSecondOtherCounts]);
        var top = await _store.Queries.TopAsync(_hostId, StoredProbes.PageFaults, long.MinValue, long.MaxValue, 0, default);
        Assert.Equal([new KeyTotals("libc.so.6", RowValues.Of(10, 0))], top);
    }

    [Fact]
    public async Task Insert_KeyStoredByAnotherServerBesideNewOnes_EachStoredOnceAndNamed()
    {
        // Another server sharing the database stored this key after this writer's cache was made.
        await _store.ScalarAsync("INSERT INTO Keys (Text) VALUES ('libc.so.6') RETURNING Id", default);

        var outcome = await InsertAsync(epoch: 7, sequence: 1, T0, "pagefaults", ("libc.so.6", 10), ("libm.so.6", 3), ("ld.so", 1));

        Assert.Equal(StoreOutcome.Stored, outcome);
        Assert.Equal(3, await _store.ScalarAsync("SELECT COUNT(*) FROM Keys", default));
        var top = await _store.Queries.TopAsync(_hostId, StoredProbes.PageFaults, long.MinValue, long.MaxValue, 0, default);
        Assert.Equal(
            [new KeyTotals("libc.so.6", RowValues.Of(10, 0)), new KeyTotals("libm.so.6", RowValues.Of(3, 0)), new KeyTotals("ld.so", RowValues.Of(1, 0))],
            top);
    }

    [Fact]
    public async Task Insert_BatchWithThousandsOfNewKeys_EveryKeyStoredOnce()
    {
        // More new keys than one array insert takes (1,000), in one batch, as a fleet's first seconds bring.
        var keys = Enumerable.Range(0, 2_500).Select(k => $"/usr/lib/lib{k}.so").ToList();
        var batch = Enumerable.Range(0, 5).Select(s => HistoryDb.Snapshot(
            _hostId, (ulong)s + 1, StoredProbes.PageFaults, T0 + (s * Second), keys.Skip(s * 400).Take(900).Select(k => (k, 1UL, 0UL))));

        Assert.All(await _store.InsertAsync(batch, default), outcome => Assert.Equal(StoreOutcome.Stored, outcome));

        Assert.Equal(2_500, await _store.ScalarAsync("SELECT COUNT(*) FROM Keys", default));
        var top = await _store.Queries.TopAsync(_hostId, StoredProbes.PageFaults, long.MinValue, long.MaxValue, 0, default);
        Assert.Equal(2_500, top.Count);
        Assert.Equal(5 * 900UL, top.Aggregate(0UL, (sum, k) => sum + k.Values[0]));
    }

    [Fact]
    public async Task Insert_ResendOfAPackedSnapshot_AlreadyStoredOrConflictAsForARow()
    {
        // Two snapshots packed into their block (rolled up, the block closed), so neither is a row any more.
        await InsertAsync(epoch: 7, sequence: 1, T0, "pagefaults", ("libc.so.6", 10));
        await InsertAsync(epoch: 7, sequence: 2, T0 + Second, "pagefaults", ("libc.so.6", 4));
        await _store.RollUpAllAsync(100, default);
        Assert.Equal(2, await _store.PackAsync(T0 + (20 * 60 * Second), default));
        Assert.Equal(0, await _store.ScalarAsync("SELECT COUNT(*) FROM Snapshots", default));

        var resent = await InsertAsync(epoch: 7, sequence: 2, T0 + Second, "pagefaults", ("libc.so.6", 4));
        var otherContent = await InsertAsync(epoch: 7, sequence: 1, T0, "pagefaults", ("libc.so.6", 11));
        var lateInTheBlock = await InsertAsync(epoch: 7, sequence: 3, T0 + (2 * Second), "pagefaults", ("libc.so.6", 1));

        // A restored state directory numbers a later second like a packed one.
        var restored = await InsertAsync(epoch: 7, sequence: 2, T0 + (3_600 * Second), "pagefaults", ("libc.so.6", 4));

        // A new epoch (a fresh state directory) numbers from 1 again, inside the block's range but not in it.
        var newEpoch = await InsertAsync(epoch: 8, sequence: 2, T0 + (4_000 * Second), "pagefaults", ("libc.so.6", 5));

        Assert.Equal(
            [StoreOutcome.AlreadyStored, StoreOutcome.Conflict, StoreOutcome.Stored, StoreOutcome.Conflict, StoreOutcome.Stored],
            [resent, otherContent, lateInTheBlock, restored, newEpoch]);
        Assert.Equal(StoreOutcome.AlreadyStored, await InsertAsync(epoch: 8, sequence: 2, T0 + (4_000 * Second), "pagefaults", ("libc.so.6", 5)));
        var top = await _store.Queries.TopAsync(_hostId, StoredProbes.PageFaults, long.MinValue, long.MaxValue, 0, default);
        Assert.Equal([new KeyTotals("libc.so.6", RowValues.Of(20, 0))], top);

        // The late one is merged into the block on a later pass, and recognised there too.
        await _store.RollUpAllAsync(100, default);
        Assert.Equal(1, await _store.PackAsync(T0 + (20 * 60 * Second), default));
        Assert.Equal(StoreOutcome.AlreadyStored, await InsertAsync(epoch: 7, sequence: 3, T0 + (2 * Second), "pagefaults", ("libc.so.6", 1)));
        Assert.Equal((1, 3), (await _store.ScalarAsync("SELECT COUNT(*) FROM RawBlocks", default), await _store.ScalarAsync("SELECT SnapshotCount FROM RawBlocks", default)));
    }

    [Fact]
    public async Task Latest_SnapshotsPacked_ReadFromTheirBlockUnlessARowIsLater()
    {
        await InsertAsync(epoch: 7, sequence: 1, T0, "pagefaults", ("libc.so.6", 10));
        await InsertAsync(epoch: 7, sequence: 2, T0 + Second, "pagefaults", ("libc.so.6", 4), ("ld.so", 9));
        await _store.RollUpAllAsync(100, default);
        await _store.PackAsync(T0 + (20 * 60 * Second), default);

        var packed = await _store.Queries.LatestAsync(_hostId, StoredProbes.PageFaults, 0, T0 + (5 * Second), default);
        var earlier = await _store.Queries.LatestAsync(_hostId, StoredProbes.PageFaults, 0, T0, default);
        await InsertAsync(epoch: 7, sequence: 3, T0 + (30 * 60 * Second), "pagefaults", ("libc.so.6", 1));
        var row = await _store.Queries.LatestAsync(_hostId, StoredProbes.PageFaults, 0, long.MaxValue, default);

        Assert.Equal((T0 + Second, 2L), (packed!.StartUnixMs, packed.Sequence));
        Assert.Equal(["ld.so", "libc.so.6"], packed.Rows.Select(r => r.Key).Order());
        Assert.Equal((T0, 1L), (earlier!.StartUnixMs, earlier.Sequence));
        Assert.Equal(3L, row!.Sequence);
    }

    [Fact]
    public async Task Insert_ResendOfASnapshotStoredWithoutDigest_AlreadyStored()
    {
        // Snapshots stored before digests were kept have none: a resend of one is taken for what it most likely is.
        var first = await InsertAsync(epoch: 7, sequence: 1, T0, "pagefaults", [("libc.so.6", 10)], withDigest: false);
        var again = await InsertAsync(epoch: 7, sequence: 1, T0, "pagefaults", ("libc.so.6", 10));

        Assert.Equal([StoreOutcome.Stored, StoreOutcome.AlreadyStored], [first, again]);
    }

    [Fact]
    public async Task Top_SeveralSnapshots_SumsPerKeySortedByFirstThenSecondValueThenKey()
    {
        await InsertAsync(1, 1, T0, "kmem", ("dentry", 5, 4), ("filp", 7, 7), ("names_cache", 1, 1), ("bdev_cache", 1, 1));
        await InsertAsync(1, 2, T0 + Second, "kmem", ("dentry", 2, 1), ("bio-184", 9, 0));
        await InsertAsync(1, 3, T0 + Second, "pagefaults", ("dentry", 100));

        var top = await _store.Queries.TopAsync(_hostId, StoredProbes.Kmem, long.MinValue, long.MaxValue, 0, default);

        Assert.Equal(
            [new("bio-184", RowValues.Of(9, 0)), new("filp", RowValues.Of(7, 7)), new("dentry", RowValues.Of(7, 5)), new("bdev_cache", RowValues.Of(1, 1)), new("names_cache", RowValues.Of(1, 1))],
            top);
    }

    [Fact]
    public async Task Top_Limit_KeepsTheBusiest()
    {
        await InsertAsync(1, 1, T0, "pagefaults", ("a", 1), ("b", 3), ("c", 2));

        var top = await _store.Queries.TopAsync(_hostId, StoredProbes.PageFaults, long.MinValue, long.MaxValue, 2, default);

        Assert.Equal(["b", "c"], top.Select(t => t.Key));
    }

    [Fact]
    public async Task Top_TimeRange_IncludesFromExcludesTo()
    {
        for (var i = 0; i < 5; i++)
        {
            await InsertAsync(1, (ulong)i + 1, T0 + (i * Second), "pagefaults", ("libc.so.6", 1UL << i));
        }

        var top = await _store.Queries.TopAsync(_hostId, StoredProbes.PageFaults, T0 + Second, T0 + (3 * Second), 0, default);

        // Seconds 1 and 2 only: 2 + 4.
        Assert.Equal([new KeyTotals("libc.so.6", RowValues.Of(6, 0))], top);
    }

    [Fact]
    public async Task Insert_KeysWithNewlinesAndMarkup_StoredVerbatim()
    {
        const string Forged = "x\n       5 ???";
        const string Markup = "<img src=x onerror=alert(1)>";
        await InsertAsync(1, 1, T0, "pagefaults", (Forged, 1), (Markup, 2), ("ünïcödé.so", 3));

        var keys = (await _store.Queries.TopAsync(_hostId, StoredProbes.PageFaults, long.MinValue, long.MaxValue, 0, default)).Select(t => t.Key);

        Assert.Equal(["ünïcödé.so", Markup, Forged], keys);
    }

    [Fact]
    public async Task Insert_CountAbove2Pow32_KeptExactly()
    {
        await InsertAsync(1, 1, T0, "pagefaults", ("big", 123_456_789_012));
        await InsertAsync(1, 2, T0 + Second, "pagefaults", ("big", 5_000_000_000));

        var top = await _store.Queries.TopAsync(_hostId, StoredProbes.PageFaults, long.MinValue, long.MaxValue, 0, default);

        Assert.Equal(128_456_789_012UL, Assert.Single(top).Values[0]);
    }

    private async Task<StoreOutcome> InsertAsync(ulong epoch, ulong sequence, long start, string probe, params (string Key, ulong First, ulong Second)[] rows) =>
        await InsertRowsAsync(epoch, sequence, start, probe, rows.Select(r => (r.Key, new[] { r.First, r.Second })));

    private async Task<StoreOutcome> InsertAsync(ulong epoch, ulong sequence, long start, string probe, params (string Key, ulong Faults)[] rows) =>
        await InsertRowsAsync(epoch, sequence, start, probe, rows.Select(r => (r.Key, new[] { r.Faults })));

    private async Task<StoreOutcome> InsertAsync(ulong epoch, ulong sequence, long start, string probe, (string Key, ulong Faults)[] rows, bool withDigest) =>
        await InsertRowsAsync(epoch, sequence, start, probe, rows.Select(r => (r.Key, new[] { r.Faults })), withDigest);

    private async Task<StoreOutcome> InsertRowsAsync(
        ulong epoch, ulong sequence, long start, string probe, IEnumerable<(string Key, ulong[] Values)> rows, bool withDigest = true, bool rowForm = false)
    {
        var columnar = new Snapshot { Sequence = sequence, Probe = probe, StartUnixMs = start, DurationMs = 1000 };
        foreach (var (key, values) in rows)
        {
            columnar.Keys.Add(key);
            columnar.Values.AddRange(values);
        }

        // The digest as admission takes it: of the table as sent.
        var snapshot = WireForms.As(columnar, rowForm);
        var digest = SnapshotDigest.Of(snapshot);

        var connection = _store.Connection;
        await using var statements = new WriterStatements(_store.Engine, connection);
        await using var transaction = await connection.BeginTransactionAsync();
        statements.Enlist(transaction);
        var stored = await statements.InsertAsync(new PendingSnapshot(_hostId, epoch, snapshot) { Digest = withDigest ? digest : null }, default);
        await transaction.CommitAsync();
        return stored;
    }
}

/// <summary>The store on a SQLite file.</summary>
public sealed class SqliteStoreTests() : StoreTests(null);

/// <summary>The store on PostgreSQL.</summary>
public sealed class PostgresStoreTests(PostgresFixture fixture) : StoreTests(fixture.Cluster), IClassFixture<PostgresFixture>;
