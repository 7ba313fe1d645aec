using Tracefleet.Contract;

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
        if (ProbeCatalogue.Find(snapshot.Probe) is not { } probe)
        {
            return;
        }

        // Totals and the busiest key of this snapshot, found outside the lock.
        var totals = new Totals(probe);
        Span<ulong> values = stackalloc ulong[probe.ValueCount];
        for (var i = 0; i < snapshot.Keys.Count; i++)
        {
            SnapshotColumns.CopyRow(snapshot, i, values);
            totals.Add(snapshot.Keys[i], values);
        }

        Record(committed.Pending.HostName, committed.CommittedAt, totals);
    }

    /// <summary>A snapshot another server stored (it came through the Redis backplane).</summary>
    public void Add(LiveSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (ProbeCatalogue.Find(snapshot.Probe) is not { } probe)
        {
            return;
        }

        var totals = new Totals(probe);
        foreach (var row in snapshot.Rows)
        {
            totals.Add(row.Key, [.. row.ValuesOf(probe)]);
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

            for (var i = 0; i < totals.Sums.Length; i++)
            {
                var column = totals.Probe.Columns[i];
                host.Totals[column] = Counts.Add(host.Totals.GetValueOrDefault(column), totals.Sums[i]);
            }

            host.LastSnapshot = host.LastSnapshot > storedAt ? host.LastSnapshot : storedAt;
            host.TopKeys[totals.Probe] = (totals.Top, totals.TopNamed);
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
                result.Add(FleetHost.Of(
                    name, isOnline(name), reporting, last,
                    column => host?.Totals.GetValueOrDefault(column) ?? 0,
                    probe => host?.TopKeys.GetValueOrDefault(probe).Top,
                    probe => host?.TopKeys.GetValueOrDefault(probe).Named));
                host?.Totals.Clear();
            }
        }

        return new FleetSecond(now, intervalMs, result.Count(h => h.Reporting), result.Count, result);
    }

    private sealed class HostTally
    {
        /// <summary>This interval's sums by column (of <see cref="ProbeCatalogue.AllColumns"/>); a column not there summed 0.</summary>
        public Dictionary<ValueColumn, ulong> Totals { get; } = [];

        public DateTime? LastSnapshot { get; set; }

        /// <summary>The busiest key of each probe's latest snapshot, and its busiest that names something.</summary>
        public Dictionary<ProbeDefinition, (string? Top, string? Named)> TopKeys { get; } = [];
    }

    /// <summary>
    /// One snapshot's sums, per column of its probe, its busiest key (in the order of every top, <see cref="BusiestFirst"/>
    /// then key) and its busiest key that names something (<see cref="UnnamedKeys"/>).
    /// </summary>
    private sealed class Totals(ProbeDefinition probe)
    {
        // Copies of the busiest rows' values: the caller's span is valid during its call only.
        private readonly ulong[] _busiest = new ulong[probe.ValueCount];
        private readonly ulong[] _busiestNamed = new ulong[probe.ValueCount];

        public ProbeDefinition Probe => probe;

        public ulong[] Sums { get; } = new ulong[probe.ValueCount];

        public string? Top { get; private set; }

        public string? TopNamed { get; private set; }

        /// <summary>Adds a row: <paramref name="values"/> in the probe's column order (a short row counts its missing values 0).</summary>
        public void Add(string key, ReadOnlySpan<ulong> values)
        {
            if (Busier(key, values, Top, _busiest))
            {
                Top = key;
                Hold(values, _busiest);
            }

            if (Busier(key, values, TopNamed, _busiestNamed) && !UnnamedKeys.Contains(key))
            {
                TopNamed = key;
                Hold(values, _busiestNamed);
            }

            for (var i = 0; i < Sums.Length && i < values.Length; i++)
            {
                Sums[i] = Counts.Add(Sums[i], values[i]);
            }
        }

        private static void Hold(ReadOnlySpan<ulong> values, ulong[] into)
        {
            Array.Clear(into);
            values[..Math.Min(values.Length, into.Length)].CopyTo(into);
        }

        private static bool Busier(string key, ReadOnlySpan<ulong> values, string? than, ReadOnlySpan<ulong> thanValues)
        {
            var order = than is null ? -1 : BusiestFirst.Compare(values, thanValues);
            return order < 0 || (order == 0 && string.CompareOrdinal(key, than) < 0);
        }
    }
}
