using System.ComponentModel.DataAnnotations;

namespace Tracefleet.Server.History;

/// <summary>Which database engine holds the store.</summary>
public enum StorageProvider
{
    /// <summary>One file on the server's disk (<c>Storage:Path</c>): nothing to run beside the server.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (<c>Storage:ConnectionString</c>), for fleets that outgrow one disk or share the store.</summary>
    Postgres,
}

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite database file; its folder is created when missing.</summary>
    [Required]
    public string Path { get; set; } = "data/tracefleet.db";

    /// <summary>The Npgsql connection string when <see cref="Provider"/> is <c>postgres</c>; the database is created when missing.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Snapshots written in one transaction, at most.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSnapshots { get; set; } = 2000;

    /// <summary>Snapshots waiting for the writer, at most; a full queue slows agents down (gRPC flow control) instead of growing memory.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 2_000;

    /// <summary>
    /// How long a SQLite write waits for a lock another process holds on the file (someone in the <c>sqlite3</c> shell, a
    /// backup) before its batch fails; the agents of a failed batch reconnect and send it again.
    /// </summary>
    [Range(1, 3600)]
    public int LockTimeoutSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Storage:Provider=postgres needs Storage:ConnectionString (e.g. Host=db;Username=tracefleet;Password=...;Database=tracefleet)",
                [nameof(ConnectionString)]);
        }
    }
}
