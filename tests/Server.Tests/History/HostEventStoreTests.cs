using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.Events;
using Tracefleet.Server.History.Entities;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.Tests.History;

/// <summary>The host events' table, created by each engine's migrations, keeps what is written with its longest texts.</summary>
public abstract class HostEventStoreTests(PostgresCluster? postgres)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Migrate_ThenWriteEvents_ReadBackNewestFirstWithTheirTexts()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        await using var store = await HistoryDb.CreateAsync(postgres, ct);
        var detail = new string('e', HostEventKinds.MaxDetailLength);
        store.Db.HostEvents.AddRange(
            new HostEventRecord { Host = "web-01", Kind = HostEventKinds.Connected, AtUnixMs = 1_000 },
            new HostEventRecord { Host = "web-01", Kind = HostEventKinds.Probe, Probe = "pagefaults", Detail = detail, AtUnixMs = 2_000 },
            new HostEventRecord { Host = "web-02", Kind = HostEventKinds.Reconnected, AtUnixMs = 3_000 });
        await store.Db.SaveChangesAsync(ct);
        store.Db.ChangeTracker.Clear();

        var read = await store.Db.HostEvents.AsNoTracking().Where(e => e.Host == "web-01").OrderByDescending(e => e.AtUnixMs).ToListAsync(ct);

        Assert.Equal([HostEventKinds.Probe, HostEventKinds.Connected], read.Select(e => e.Kind));
        Assert.Equal("pagefaults", read[0].Probe);
        Assert.Equal(detail, read[0].Detail);
    }
}

/// <summary>On a SQLite file.</summary>
public sealed class SqliteHostEventStoreTests() : HostEventStoreTests(null);

/// <summary>On PostgreSQL.</summary>
public sealed class PostgresHostEventStoreTests(PostgresFixture fixture) : HostEventStoreTests(fixture.Cluster), IClassFixture<PostgresFixture>;
