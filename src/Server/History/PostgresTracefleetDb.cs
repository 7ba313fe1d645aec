using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.History;

/// <summary>
/// The same store on PostgreSQL, with migrations of its own (History/Migrations/Postgres) and every name in lower
/// case (<see cref="Engines.PostgresEngine.Configure"/>).
/// Keys are unique by their MD5 rather than their text: a B-tree entry holds at most ~2.7 kB, and a key
/// (a file path) may be 4,096 characters. The migration creates that expression index.
/// <para>
/// Snapshots, RawBlocks and Rollups are partitioned by time (PostgresPartitions; the migration
/// PartitionedHistory creates them in SQL, the model only says what that SQL made). A partitioned table's primary key and
/// unique indexes must hold its partition key, so each primary key is the id and the time (and tier) it is partitioned
/// by, and a snapshot's (host, epoch, sequence) is indexed but not unique: the writer looks it up before inserting.
/// </para>
/// </summary>
public sealed class PostgresTracefleetDb(DbContextOptions<PostgresTracefleetDb> options) : TracefleetDb(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        var keys = modelBuilder.Entity<KeyRecord>().Metadata;
        keys.RemoveIndex(keys.GetIndexes().Single(i => i.Properties.Single().Name == nameof(KeyRecord.Text)));

        modelBuilder.Entity<SnapshotRecord>(snapshot =>
        {
            snapshot.HasKey(s => new { s.Id, s.StartUnixMs });
            snapshot.Property(s => s.Id).ValueGeneratedOnAdd().UseIdentityByDefaultColumn();
            snapshot.HasIndex(s => new { s.HostId, s.Epoch, s.Sequence }).IsUnique(false);
        });

        modelBuilder.Entity<RawBlockRecord>(block =>
        {
            block.HasKey(b => new { b.Id, b.BlockStartUnixMs });
            block.Property(b => b.Id).ValueGeneratedOnAdd().UseIdentityByDefaultColumn();
        });

        modelBuilder.Entity<RollupRecord>(rollup =>
        {
            rollup.HasKey(r => new { r.Id, r.Tier, r.BucketStartUnixMs });
            rollup.Property(r => r.Id).ValueGeneratedOnAdd().UseIdentityByDefaultColumn();
        });
    }
}
