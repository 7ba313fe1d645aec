using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.Events;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.History;

/// <summary>
/// The store's schema, migrations and queries. The hot write path does not go through the change
/// tracker: <see cref="SnapshotWriter"/> batches raw inserts on this context's connection.
/// This class is the SQLite store; <see cref="PostgresTracefleetDb"/> the same model on PostgreSQL.
/// Tables take the names of the sets below: PostgreSQL's naming convention lower-cases those, not a name given with ToTable.
/// </summary>
public class TracefleetDb : DbContext
{
    public TracefleetDb(DbContextOptions<TracefleetDb> options)
        : base(options)
    {
    }

    /// <summary>For an engine's subclass, whose options carry its own type (and so its own migrations).</summary>
    protected TracefleetDb(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<HostRecord> Hosts => Set<HostRecord>();

    public DbSet<KeyRecord> Keys => Set<KeyRecord>();

    public DbSet<SnapshotRecord> Snapshots => Set<SnapshotRecord>();

    public DbSet<RollupRecord> Rollups => Set<RollupRecord>();

    /// <summary>Raw snapshots packed across time once rolled up (see <see cref="Maintenance.RawPacking"/>).</summary>
    public DbSet<RawBlockRecord> RawBlocks => Set<RawBlockRecord>();

    public DbSet<HistoryStateRecord> HistoryState => Set<HistoryStateRecord>();

    public DbSet<ProbeRecord> Probes => Set<ProbeRecord>();

    public DbSet<AlertRuleRecord> AlertRules => Set<AlertRuleRecord>();

    public DbSet<AlertTransitionRecord> AlertTransitions => Set<AlertTransitionRecord>();

    public DbSet<AlertStateRecord> AlertStates => Set<AlertStateRecord>();

    public DbSet<SilenceRecord> Silences => Set<SilenceRecord>();

    public DbSet<HostEventRecord> HostEvents => Set<HostEventRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HostRecord>(host =>
        {
            host.HasIndex(h => h.Name).IsUnique();
            host.Property(h => h.Name).HasMaxLength(253);
        });

        modelBuilder.Entity<KeyRecord>(key =>
        {
            key.HasIndex(k => k.Text).IsUnique();
        });

        modelBuilder.Entity<SnapshotRecord>(snapshot =>
        {
            snapshot.HasIndex(s => new { s.HostId, s.Epoch, s.Sequence }).IsUnique();
            snapshot.Property(s => s.Probe).HasConversion(p => p.Id, i => Probe.FromStored(i));
            // The top and series queries select one host's probe over a time range.
            snapshot.HasIndex(s => new { s.HostId, s.Probe, s.StartUnixMs });
            snapshot.HasIndex(s => s.StartUnixMs);
            snapshot.HasOne<HostRecord>().WithMany().HasForeignKey(s => s.HostId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RawBlockRecord>(block =>
        {
            // Reads find a host's probe's blocks by start; retention takes the oldest.
            block.HasIndex(b => new { b.HostId, b.Probe, b.BlockStartUnixMs }).IsUnique();
            block.HasIndex(b => b.BlockStartUnixMs);
            // The writer's resend check: the blocks of a host whose sequence range holds a number (covering, index-only).
            block.HasIndex(b => new { b.HostId, b.LastSequence, b.FirstSequence });
            block.Property(b => b.Probe).HasConversion(p => p.Id, i => Probe.FromStored(i));
            block.HasOne<HostRecord>().WithMany().HasForeignKey(b => b.HostId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RollupRecord>(rollup =>
        {
            rollup.HasIndex(r => new { r.Tier, r.HostId, r.Probe, r.BucketStartUnixMs }).IsUnique();
            rollup.Property(r => r.Probe).HasConversion(p => p.Id, i => Probe.FromStored(i));
            // Retention and the size cap take the oldest buckets of a tier.
            rollup.HasIndex(r => new { r.Tier, r.BucketStartUnixMs });
        });

        modelBuilder.Entity<ProbeRecord>(probe =>
        {
            probe.Property(p => p.Id).ValueGeneratedNever();
            probe.HasIndex(p => p.Name).IsUnique();
            probe.Property(p => p.Name).HasMaxLength(ProbeDefinitionRules.MaxNameLength);
        });

        modelBuilder.Entity<AlertRuleRecord>(rule =>
        {
            rule.HasIndex(r => r.Name).IsUnique();
            rule.Property(r => r.Name).HasMaxLength(Alerts.Rules.RuleCompiler.MaxNameLength);
        });

        modelBuilder.Entity<AlertTransitionRecord>(transition =>
        {
            // History is read newest first over a range, for all hosts or one; retention takes the oldest.
            transition.HasIndex(t => t.AtUnixMs);
            transition.HasIndex(t => new { t.Host, t.AtUnixMs });
        });

        modelBuilder.Entity<HostEventRecord>(e =>
        {
            // Read newest first over a range of one host; retention takes the oldest.
            e.HasIndex(r => r.AtUnixMs);
            e.HasIndex(r => new { r.Host, r.AtUnixMs });
            e.Property(r => r.Host).HasMaxLength(253);
            e.Property(r => r.Kind).HasMaxLength(32);
            e.Property(r => r.Probe).HasMaxLength(ProbeDefinitionRules.MaxNameLength);
            e.Property(r => r.Detail).HasMaxLength(HostEventKinds.MaxDetailLength);
        });

        modelBuilder.Entity<AlertStateRecord>(state =>
        {
            state.HasIndex(s => s.Fingerprint).IsUnique();
            state.Property(s => s.Fingerprint).HasMaxLength(16);
        });

        modelBuilder.Entity<HistoryStateRecord>(state =>
        {
            state.Property(s => s.Id).ValueGeneratedNever();
            state.HasData(new HistoryStateRecord { Id = 1, RolledUpToSnapshotId = 0 });
        });
    }
}
