namespace Tracefleet.Contract.Api;

/// <summary>A host in the fleet list.</summary>
public sealed record HostSummary(string Name, string Os, bool Online, DateTime LastSeen, IReadOnlyList<string> Probes, string Backend, string Kernel, string AgentVersion);

/// <summary>One host with what its probes can and cannot see, and how its agent's clock agrees with the server's (null: not measured).</summary>
public sealed record HostDetail(
    string Name, string Os, bool Online, DateTime LastSeen, DateTime FirstSeen, string Backend, string Kernel, string AgentVersion, IReadOnlyList<ProbeDetail> Probes,
    ClockOffset? Clock);

/// <summary>
/// The agent's clock against the server's, in seconds (positive: the agent's clock is ahead), measured from its latest
/// snapshots' ends against their arrival (so it includes the few hundred milliseconds a snapshot takes to arrive);
/// <c>skewed</c> when beyond Limits:ClockOffsetWarningSeconds. Snapshots are stamped by the agent's clock: a skewed
/// host's data sits that far off in time. Not measured for replayed captures.
/// </summary>
public sealed record ClockOffset(double OffsetSeconds, DateTime MeasuredAt, bool Skewed);

/// <summary>
/// A probe as its agent runs it, with its last reported health (null until the agent reports it, e.g. replay agents):
/// state is starting, running, restarting, failed, finished or suspended (<see cref="Probes.ProbeState"/>); lastError is
/// the tracer's own error text, or for a suspended probe "suspended: COST > BUDGET"; retryAt (UTC) is when a suspended
/// probe is next tried, null otherwise or when its agent did not say; cost is what the probe last cost the host (null
/// until measured, kept when a later status carries none: its measuredAt says how old it is); rejectedSnapshots counts the snapshots the server refused since the agent started (kept in its state
/// directory's rejected/ folder), lastRejection says why the last one was.
/// The host's key budget for the probe, as this server has kept it since it started: keyBudget is Limits:MaxKeysPerHost,
/// keysTracked the keys stored under their own names now, keysFoldedLastHour (exact to 5 minutes) and keysFolded (since
/// the server started) the keys summed into "(other)" because the budget was full, one per key and snapshot.
/// </summary>
public sealed record ProbeDetail(
    string Name, string Variant, string Limitations, string? State, string? LastError, int? Restarts, long? MalformedLines, double? LinesPerSecond, DateTime? ReportedAt,
    long? RejectedSnapshots, string? LastRejection, int KeyBudget, int KeysTracked, long KeysFoldedLastHour, long KeysFolded,
    ProbeCostDetail? Cost = null, DateTime? RetryAt = null);

/// <summary>
/// What one probe cost its host, as the agent measured it, averaged over the windowSeconds before measuredAt (UTC). CPU is
/// in percent of one core (100 = one core busy). tracerCpuPercent: user plus system CPU of the tracer process and its
/// children; tracerRssBytes: their resident memory, bytes; kernelCpuPercent: time the kernel spent in the probe's BPF
/// programs, billed to the programs they interrupted, and kernelRunsPerSecond: runs of those programs per second (one per
/// probe hit), both null unless kernelTimeKnown (bpftrace with kernel.bpf_stats_enabled); eventsPerSecond: for a counting
/// probe, its first column's counts per second; outputBytesPerSecond: bytes per second the tracer printed;
/// budgetCpuPercent: the most tracer plus kernel CPU the probe may take before the agent suspends it.
/// </summary>
public sealed record ProbeCostDetail(
    double TracerCpuPercent, long TracerRssBytes, bool KernelTimeKnown, double? KernelCpuPercent, double? KernelRunsPerSecond, double EventsPerSecond,
    double OutputBytesPerSecond, double BudgetCpuPercent, double WindowSeconds, DateTime MeasuredAt);
