using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// What one agent stream may report about its probes: only the probes its Hello declared, in a known state, with sane
/// numbers (<see cref="IngestValidator.CheckStatus"/>), texts cut to their limits, at most
/// <c>Limits:MaxProbeStatusesPerSecond</c> per probe (a token bucket as deep as one second's worth). A status beyond the
/// pace is held, not lost: the newest held one is kept when the pace allows or the stream ends, and the ones it
/// replaced are counted as dropped. One instance per stream; not thread-safe (a stream is read by one reader).
/// </summary>
public sealed class ProbeStatusGate
{
    /// <summary>Dropped: a status of a probe the Hello did not declare (counted in <c>tracefleet_ingest_probe_statuses_dropped_total{reason}</c>).</summary>
    public const string Undeclared = "undeclared";

    /// <summary>Dropped: an unknown state or a number out of range.</summary>
    public const string Invalid = "invalid";

    /// <summary>Dropped: a status beyond the pace, replaced by a newer one before it could be kept.</summary>
    public const string Paced = "paced";

    /// <summary>Not a status but its cost dropped: a figure out of range (<see cref="IngestValidator.CheckCost"/>); the status is kept without it.</summary>
    public const string InvalidCost = "invalid_cost";

    /// <summary>Every reason, for exporting zero counts.</summary>
    public static readonly IReadOnlyList<string> Reasons = [Undeclared, Invalid, Paced, InvalidCost];

    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly double _perSecond;

    public ProbeStatusGate(IEnumerable<string> declaredProbes, int perSecond, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(declaredProbes);
        _perSecond = perSecond;
        foreach (var probe in declaredProbes)
        {
            _buckets[probe] = new Bucket(new TokenBucket(perSecond, perSecond, time));
        }
    }

    /// <summary>
    /// Decides for one status: <see cref="StatusVerdict.Keep"/> when it may be kept now (normalised), otherwise why not.
    /// A status beyond the pace is held (see <see cref="Release"/>); a held one that a newer status replaces is dropped.
    /// </summary>
    public StatusVerdict Offer(ProbeStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (!_buckets.TryGetValue(status.Probe, out var bucket))
        {
            return new StatusVerdict(null, Undeclared, $"a status of probe \"{SnapshotRules.Printable(status.Probe)}\", which the Hello did not declare");
        }

        if (IngestValidator.CheckStatus(status) is { } problem)
        {
            return new StatusVerdict(null, Invalid, problem);
        }

        IngestValidator.Normalize(status);
        string? costProblem = null;
        if (status.Cost is { } cost && IngestValidator.CheckCost(status.Probe, cost) is { } problemWithCost)
        {
            // The state is what matters most (a suspension): it is kept, and the registry shows the last good cost instead.
            status.Cost = null;
            costProblem = problemWithCost;
        }

        var replaced = bucket.Held is not null;
        var keep = bucket.Pace.TryTake() ? status : null;
        bucket.Held = keep is null ? status : null;
        return replaced
            ? new StatusVerdict(keep, Paced, $"more than {_perSecond} statuses a second of probe {status.Probe}; only the latest is kept", costProblem)
            : new StatusVerdict(keep, null, null, costProblem);
    }

    /// <summary>The held statuses the pace now allows (call with every message), or every held one when <paramref name="all"/> (the stream ends).</summary>
    public IReadOnlyList<ProbeStatus> Release(bool all = false)
    {
        List<ProbeStatus>? released = null;
        foreach (var bucket in _buckets.Values)
        {
            if (bucket.Held is { } held && (all || bucket.Pace.TryTake()))
            {
                (released ??= []).Add(held);
                bucket.Held = null;
            }
        }

        return released ?? [];
    }

    private sealed class Bucket(TokenBucket pace)
    {
        public TokenBucket Pace { get; } = pace;

        public ProbeStatus? Held { get; set; }
    }
}

/// <summary>
/// A <see cref="ProbeStatusGate"/>'s answer: <see cref="Keep"/>, the status to keep now (null when it was dropped or held
/// for later); <see cref="Reason"/> and a plain <see cref="Message"/> when a status was dropped: this one, or the held one
/// it replaced; <see cref="CostProblem"/> when this status's cost was dropped (<see cref="ProbeStatusGate.InvalidCost"/>).
/// </summary>
public readonly record struct StatusVerdict(ProbeStatus? Keep, string? Reason, string? Message, string? CostProblem = null);
