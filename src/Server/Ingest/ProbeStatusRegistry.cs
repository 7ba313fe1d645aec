using System.Collections.Concurrent;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>The last status each host's agent reported for each probe; agents report again on every reconnect.</summary>
public sealed class ProbeStatusRegistry
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ProbeStatus>> _byHost = new(StringComparer.Ordinal);

    public void Report(string host, ProbeStatus status) =>
        _byHost.GetOrAdd(host, _ => new(StringComparer.Ordinal))[status.Probe] = status;

    /// <summary>Every host's last status per probe, for metrics.</summary>
    public IEnumerable<(string Host, ProbeStatus Status)> All() =>
        _byHost.SelectMany(host => host.Value.Values.Select(status => (host.Key, status)));

    public ProbeStatus? Find(string host, string probe) =>
        _byHost.TryGetValue(host, out var probes) && probes.TryGetValue(probe, out var status) ? status : null;
}
