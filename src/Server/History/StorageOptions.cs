using System.ComponentModel.DataAnnotations;

namespace Tracefleet.Server.History;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite database file; its folder is created when missing.</summary>
    [Required]
    public string Path { get; set; } = "data/tracefleet.db";

    /// <summary>Snapshots written in one transaction, at most.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSnapshots { get; set; } = 2000;

    /// <summary>Snapshots waiting for the writer, at most; a full queue slows agents down (gRPC flow control) instead of growing memory.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 2_000;
}
