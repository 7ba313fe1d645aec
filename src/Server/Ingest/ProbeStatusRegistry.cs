using System.Collections.Concurrent;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// The last status each host's agent reported for each probe it declared; agents report again on every reconnect. Bounded:
/// only declared probes (<see cref="ProbeStatusGate"/>), texts cut to their limits, and a host's statuses go with the host
/// (<see cref="Forget"/>, when it has been offline for <c>Limits:OfflineHostStateSeconds</c>).
/// </summary>
/// <remarks>
/// Statuses live here only, never in the store: a status that brings nothing but a fresh cost (the agent measures every
/// few seconds) replaces one entry in memory, and the API and /metrics read the entries when asked.
/// </remarks>
public sealed class ProbeStatusRegistry
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ProbeReport>> _byHost = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _dropped = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="status"/> as the probe's latest; its cost, or the last one measured when it carries none.</summary>
    public void Report(string host, ProbeStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var probes = _byHost.GetOrAdd(host, _ => new(StringComparer.Ordinal));
        // Not atomic: only a reconnect's old stream, ending, can report the probe at the same time, and the worst it can do is
        // carry an older cost forward until the next measurement.
        probes[status.Probe] = status.Cost is { } cost
            ? new ProbeReport(status, cost, status.AtUnixMs)
            : probes.TryGetValue(status.Probe, out var previous)
                ? previous with { Status = status }
                : new ProbeReport(status, null, 0);
    }

    /// <summary>A Hello names the probes the host runs now: statuses of the others (from an earlier run) go.</summary>
    public void Declare(string host, IEnumerable<string> probes)
    {
        if (!_byHost.TryGetValue(host, out var statuses))
        {
            return;
        }

        var declared = probes.ToHashSet(StringComparer.Ordinal);
        foreach (var probe in statuses.Keys.Where(p => !declared.Contains(p)))
        {
            statuses.TryRemove(probe, out _);
        }
    }

    public void Forget(string host) => _byHost.TryRemove(host, out _);

    /// <summary>Counts a status dropped for <paramref name="reason"/> (one of <see cref="ProbeStatusGate.Reasons"/>).</summary>
    public void CountDropped(string reason) => _dropped.AddOrUpdate(reason, 1, (_, n) => n + 1);

    /// <summary>Statuses dropped since start, by reason; every reason listed, zero or not.</summary>
    public IEnumerable<(string Reason, long Count)> Dropped() => ProbeStatusGate.Reasons.Select(r => (r, _dropped.GetValueOrDefault(r)));

    /// <summary>Every host's last report per probe, for metrics.</summary>
    public IEnumerable<(string Host, ProbeReport Report)> All() =>
        _byHost.SelectMany(host => host.Value.Values.Select(report => (host.Key, report)));

    public ProbeReport? Find(string host, string probe) =>
        _byHost.TryGetValue(host, out var probes) && probes.TryGetValue(probe, out var status) ? status : null;
}
