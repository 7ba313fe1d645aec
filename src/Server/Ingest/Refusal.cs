namespace Tracefleet.Server.Ingest;

/// <summary>
/// Why one snapshot is not stored, told to its agent in the ack (<see cref="Message"/>) and counted in <c>/metrics</c>
/// by <see cref="Kind"/>. The stream goes on: a refusal is per snapshot.
/// </summary>
public sealed record Refusal(string Kind, string Message)
{
    /// <summary>A field out of range or a row of the wrong shape (see <c>SnapshotRules</c>).</summary>
    public const string Invalid = "invalid";

    /// <summary>Starts further ahead of the server's clock than <c>Limits:MaxClockSkewSeconds</c>.</summary>
    public const string ClockAhead = "clock_ahead";

    /// <summary>Older than <c>Limits:MaxSnapshotAgeSeconds</c>.</summary>
    public const string TooOld = "too_old";

    /// <summary>The store could not write this one snapshot while it wrote others.</summary>
    public const string StoreRefused = "store_refused";

    /// <summary>Every kind, for exporting zero counts.</summary>
    public static readonly IReadOnlyList<string> Kinds = [Invalid, ClockAhead, TooOld, StoreRefused];
}
