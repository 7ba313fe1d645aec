using Tracefleet.Contract;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Live;

/// <summary>
/// Per-host totals of the snapshots stored since the last fleet summary, and each host's latest
/// busiest keys. Fed by the broadcaster (and the Redis backplane), read once per interval by the fleet ticker. Totals saturate (<see cref="Counts"/>).
/// </summary>
public sealed class FleetTally
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HostTally> _hosts = new(StringComparer.Ordinal);

    public void Add(CommittedSnapshot committed)
    {
        var snapshot = committed.Pending.Snapshot;
        // Totals and the busiest key of this snapshot, found outside the lock.
        var totals = new Totals(snapshot.Probe == ProbeNames.Kmem);
        foreach (var row in snapshot.Rows)
        {
            totals.Add(row.Key, LiveSnapshots.Count(row.Values, 0), LiveSnapshots.Count(row.Values, 1));
        }

        Record(committed.Pending.HostName, committed.CommittedAt, totals);
    }

    /// <summary>A snapshot another server stored (it came through the Redis backplane).</summary>
    public void Add(LiveSnapshot snapshot)
    {
        var totals = new Totals(snapshot.Probe == ProbeNames.Kmem);
        foreach (var row in snapshot.Rows)
        {
            totals.Add(row.Key, (totals.Kmem ? row.Allocs : row.Faults) ?? 0, row.Frees ?? 0);
        }

        Record(snapshot.Host, snapshot.StoredAt, totals);
    }

    private void Record(string name, DateTime storedAt, Totals totals)
    {
        lock (_lock)
        {
            if (!_hosts.TryGetValue(name, out var host))
            {
                host = new HostTally();
                _hosts[name] = host;
            }

            host.Faults = Counts.Add(host.Faults, totals.Faults);
            host.Allocs = Counts.Add(host.Allocs, totals.Allocs);
            host.Frees = Counts.Add(host.Frees, totals.Frees);
            host.LastSnapshot = host.LastSnapshot > storedAt ? host.LastSnapshot : storedAt;
            if (totals.Kmem)
            {
                host.TopCache = totals.Top;
            }
            else
            {
                host.TopFile = totals.Top;
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

    /// <summary>One snapshot's sums and its busiest key (by the first value).</summary>
    private struct Totals(bool kmem)
    {
        private ulong _busiest;

        public readonly bool Kmem => kmem;

        public string? Top { get; private set; }

        public ulong Faults { get; private set; }

        public ulong Allocs { get; private set; }

        public ulong Frees { get; private set; }

        public void Add(string key, ulong first, ulong second)
        {
            if (Top is null || first > _busiest)
            {
                (_busiest, Top) = (first, key);
            }

            if (kmem)
            {
                Allocs = Counts.Add(Allocs, first);
                Frees = Counts.Add(Frees, second);
            }
            else
            {
                Faults = Counts.Add(Faults, first);
            }
        }
    }
}
