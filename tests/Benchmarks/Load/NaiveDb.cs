using Microsoft.EntityFrameworkCore;

namespace Tracefleet.Benchmarks.Load;

/// <summary>The baseline's schema: the store's previous row-per-sample shape, written the way EF Core invites.</summary>
public sealed class NaiveDb(string path) : DbContext
{
    public DbSet<NaiveSnapshot> Snapshots => Set<NaiveSnapshot>();

    public DbSet<NaiveKey> Keys => Set<NaiveKey>();

    public DbSet<NaiveSample> Samples => Set<NaiveSample>();

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.UseSqlite($"Data Source={path}");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<NaiveKey>().HasIndex(k => k.Text).IsUnique();
        modelBuilder.Entity<NaiveSample>().HasKey(s => new { s.SnapshotId, s.KeyId });
    }
}

public sealed class NaiveSnapshot
{
    public long Id { get; set; }

    public long HostId { get; set; }

    public int Probe { get; set; }

    public long StartUnixMs { get; set; }

    public long Sequence { get; set; }
}

public sealed class NaiveKey
{
    public long Id { get; set; }

    public required string Text { get; set; }
}

public sealed class NaiveSample
{
    public long SnapshotId { get; set; }

    public NaiveSnapshot? Snapshot { get; set; }

    public long KeyId { get; set; }

    public NaiveKey? Key { get; set; }

    public long First { get; set; }

    public long Second { get; set; }
}
