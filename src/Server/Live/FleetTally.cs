using Tracefleet.Contract;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Live;

/// <summary>
/// Per-host totals of the snapshots stored since the last fleet summary, and each host's latest
/// busiest keys. Fed by the broadcaster, read once per interval by the fleet ticker. Totals saturate (<see cref="Counts"/>).
/// </summary>
public sealed class FleetTally
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HostTally> _hosts = new(StringComparer.Ordinal);

    public void Add(CommittedSnapshot committed)
    {
        var snapshot = committed.Pending.Snapshot;
        var kmem = snapshot.Probe == ProbeNames.Kmem;
        // Totals and the busiest key of this snapshot, found outside the lock.
        string? top = null;
        ulong faults = 0, allocs = 0, frees = 0, busiest = 0;
        foreach (var row in snapshot.Rows)
        {
            var first = LiveSnapshots.Count(row.Values, 0);
            if (top is null || first > busiest)
            {
                (busiest, top) = (first, row.Key);
            }

            if (kmem)
            {
                allocs = Counts.Add(allocs, first);
                frees = Counts.Add(frees, LiveSnapshots.Count(row.Values, 1));
            }
            else
            {
                faults = Counts.Add(faults, first);
            }
        }

        var (name, storedAt) = (committed.Pending.HostName, committed.CommittedAt);
        lock (_lock)
        {
            if (!_hosts.TryGetValue(name, out var host))
            {
                host = new HostTally();
                _hosts[name] = host;
            }

            host.Faults = Counts.Add(host.Faults, faults);
            host.Allocs = Counts.Add(host.Allocs, allocs);
            host.Frees = Counts.Add(host.Frees, frees);
            host.LastSnapshot = host.LastSnapshot > storedAt ? host.LastSnapshot : storedAt;
            if (kmem)
            {
                host.TopCache = top;
            }
            else
            {
                host.TopFile = top;
            }
        }
    }

    /// <summary>The interval's summary for these hosts (plus any that reported and are not listed yet); starts the next interval.</summary>
    public FleetSecond Take(IEnumerable<string> knownHosts, Func<string, bool> isOnline, DateTime now, int intervalMs, TimeSpan reportingWindow)
    {
        var result = new List<FleetHost>();
        lock (_lock)
        {
            foreach (var name in knownHosts.Concat(_hosts.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                _hosts.TryGetValue(name, out var host);
                var last = host?.LastSnapshot;
                var reporting = last is { } at && now - at <= reportingWindow;
                result.Add(new FleetHost(name, isOnline(name), reporting, last, host?.Faults ?? 0, host?.Allocs ?? 0, host?.Frees ?? 0, host?.TopFile, host?.TopCache));
                if (host is not null)
                {
                    host.Faults = host.Allocs = host.Frees = 0;
                }
            }
        }

        return new FleetSecond(now, intervalMs, result.Count(h => h.Reporting), result.Count, result);
    }

    private sealed class HostTally
    {
        public ulong Faults { get; set; }

        public ulong Allocs { get; set; }

        public ulong Frees { get; set; }

        public DateTime? LastSnapshot { get; set; }

        public string? TopFile { get; set; }

        public string? TopCache { get; set; }
    }
}
