namespace Tracefleet.Web.Services;

// Counts (faults, allocs, frees) are unsigned 64-bit as the API sends them; 18446744073709551615 is a saturated
// total, "at least this many" (see CountText).

/// <summary>The probes, by their wire names.</summary>
public static class Probes
{
    public const string PageFaults = "pagefaults";
    public const string Kmem = "kmem";

    public static string Normalize(string? probe) => probe == Kmem ? Kmem : PageFaults;
}

/// <summary>A row of any table: pagefaults has <see cref="Faults"/>, kmem <see cref="Allocs"/> and <see cref="Frees"/>.</summary>
public sealed record KeyRow(string Key, ulong? Faults = null, ulong? Allocs = null, ulong? Frees = null, int? Hosts = null)
{
    /// <summary>The value the scripts sort by: faults, or allocs.</summary>
    public ulong First => Faults ?? Allocs ?? 0;

    public ulong Second => Frees ?? 0;

    /// <summary>Allocations minus frees: what the cache grew by, exactly; null (unknown) when either is saturated.</summary>
    public Int128? Net => CompareMath.Difference(Allocs, Frees);
}

public sealed record HostSummary(string Name, string Os, bool Online, DateTime LastSeen, IReadOnlyList<string> Probes, string Backend, string Kernel, string AgentVersion);

/// <summary>
/// A probe as the agent describes it; the status fields are absent from servers (or agents) that do not report them.
/// <see cref="RejectedSnapshots"/> counts the snapshots the server refused, <see cref="LastRejection"/> says why the last one was.
/// The key budget fields: Limits:MaxKeysPerHost, keys stored under their own names now, keys folded into "(other)" in the
/// last hour and since the server started (absent from servers that do not report them).
/// </summary>
public sealed record ProbeInfo(
    string Name, string? Variant, string? Limitations, string? State = null, string? LastError = null, long? Restarts = null, long? MalformedLines = null,
    long? RejectedSnapshots = null, string? LastRejection = null, int? KeyBudget = null, int? KeysTracked = null, long? KeysFoldedLastHour = null, long? KeysFolded = null);

/// <summary>The agent's clock against the server's, in seconds (positive: ahead); <see cref="Skewed"/> past the server's warning limit.</summary>
public sealed record ClockOffset(double OffsetSeconds, DateTime MeasuredAt, bool Skewed);

public sealed record HostDetail(
    string Name, string Os, bool Online, DateTime LastSeen, DateTime FirstSeen, string Backend, string Kernel, string AgentVersion, IReadOnlyList<ProbeInfo> Probes,
    ClockOffset? Clock = null);

public sealed record SeriesPoint(DateTime T, ulong? Faults = null, ulong? Allocs = null, ulong? Frees = null)
{
    public ulong First => Faults ?? Allocs ?? 0;
}

public sealed record Series(string Host, string? Key, IReadOnlyList<SeriesPoint> Points);

public sealed record SeriesResponse(string Probe, DateTime From, DateTime To, long StepMs, IReadOnlyList<Series> Series);

public sealed record CompareRow(string Key, IReadOnlyList<ulong?>? Faults = null, IReadOnlyList<ulong?>? Allocs = null, IReadOnlyList<ulong?>? Frees = null)
{
    /// <summary>The compared value of host <paramref name="index"/>: faults, or allocs; null when that host never had the key.</summary>
    public ulong? ValueOf(int index) => (Faults ?? Allocs) is { } values && index < values.Count ? values[index] : null;
}

public sealed record CompareResponse(string Probe, DateTime? From, DateTime? To, IReadOnlyList<string> Hosts, IReadOnlyList<CompareRow> Rows);

public sealed record LatestSnapshot(string Host, string Probe, DateTime? Start, int DurationMs, long Sequence, IReadOnlyList<KeyRow> Rows);

public sealed record FleetSummaryHost(
    string Name, string Os, string Backend, bool Online, bool Reporting, DateTime LastSeen,
    IReadOnlyList<ulong> Faults, IReadOnlyList<ulong> Allocs, IReadOnlyList<ulong> Frees, string? TopFile, string? TopCache);

public sealed record FleetSummary(DateTime At, int WindowSeconds, int Reporting, int Known, IReadOnlyList<FleetSummaryHost> Hosts);

/// <summary>Event <c>snapshot</c> of the live hub.</summary>
public sealed record LiveSnapshot(
    string Host, string Probe, ulong Sequence, DateTime Start, int DurationMs, DateTime ReceivedAt, DateTime StoredAt, IReadOnlyList<KeyRow> Rows);

/// <summary>One host in event <c>fleet</c>.</summary>
public sealed record FleetHost(string Name, bool Online, bool Reporting, DateTime? LastSnapshot, ulong Faults, ulong Allocs, ulong Frees, string? TopFile, string? TopCache);

/// <summary>Event <c>fleet</c> of the live hub.</summary>
public sealed record FleetSecond(DateTime At, int IntervalMs, int Reporting, int Known, IReadOnlyList<FleetHost> Hosts);
