namespace Tracefleet.Server.History.Entities;

/// <summary>One key's counts in one snapshot: pagefaults uses <see cref="First"/>; kmem has allocs, frees.</summary>
public sealed class SampleRecord
{
    public long SnapshotId { get; set; }

    public long KeyId { get; set; }

    public long First { get; set; }

    public long Second { get; set; }
}
