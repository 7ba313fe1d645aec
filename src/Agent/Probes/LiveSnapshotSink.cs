using System.Threading.Channels;
using Tracefleet.Agent.Parsing;
using Tracefleet.Agent.Resolution;
using Tracefleet.Agent.Uplink;

namespace Tracefleet.Agent.Probes;

/// <summary>
/// The stage after the tracers: names bpftrace's (device, inode) keys, sums one-second tables into
/// the configured interval, stamps each with its time, and puts it into the outbox.
/// </summary>
public sealed class LiveSnapshotSink(ChannelReader<CompletedInterval> input, Outbox outbox, TimeSpan interval, int maxKeys, DevInodeResolver resolver)
{
    private readonly Dictionary<ProbeKind, IntervalAccumulator> _accumulators = [];
    private readonly int _tablesPerInterval = Math.Max(1, (int)Math.Round(interval.TotalSeconds));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var completed in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var table = completed.Interval.Format == TableFormat.PageFaultsDevInode
                ? Resolve(completed.Interval)
                : completed.Interval;
            if (!_accumulators.TryGetValue(table.Probe, out var accumulator))
            {
                accumulator = _accumulators[table.Probe] = new IntervalAccumulator(table.Probe, _tablesPerInterval);
            }

            if (accumulator.Add(table, completed.EndedAt) is var (summed, firstEnd))
            {
                // Each script table covers the second before it was printed.
                var start = new DateTimeOffset(firstEnd).ToUnixTimeMilliseconds() - 1000;
                outbox.Add(SnapshotMapper.ToSnapshot(summed, start, TimeSpan.FromSeconds(_tablesPerInterval), maxKeys));
            }
        }
    }

    private ParsedInterval Resolve(ParsedInterval table)
    {
        // Two inodes may share a name (libc.so.6 in two containers): their counts add up under it.
        var rows = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var name = resolver.Resolve(row.Key);
            rows[name] = Columns.SaturatingAdd(rows.GetValueOrDefault(name), row.First);
        }

        return table with { Rows = rows.Select(kv => new ParsedRow(kv.Key, kv.Value, 0)).ToList() };
    }
}
