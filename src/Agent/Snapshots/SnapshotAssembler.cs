using System.Threading.Channels;
using Tracefleet.Agent.Parsing;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Resolution;
using Tracefleet.Agent.Uplink;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Snapshots;

/// <summary>
/// The one stage between a source of one-second tables (a tracer, a replayed capture) and the outbox: names the
/// files bpftrace knows only by (device, inode), sums each source's tables into snapshots of <c>--interval</c>,
/// stamps them and delivers them. Live and replay differ only in what they hand it: when a table ended (live: when
/// it was printed; replay: its place in the capture), how a file is named (<paramref name="nameFile"/>: this
/// machine's /proc, or <c>[dev M:m ino N]</c> for a capture from another host) and how a snapshot is delivered
/// (<paramref name="deliver"/>: live drops the oldest when full, replay waits for acknowledgements).
/// One caller at a time.
/// </summary>
public sealed class SnapshotAssembler(
    TimeSpan interval,
    int maxKeys,
    Func<ulong, ulong, string> nameFile,
    Func<Snapshot, CancellationToken, Task> deliver)
{
    private readonly Dictionary<(int Source, ProbeDefinition Probe), IntervalAccumulator> _accumulators = [];
    private readonly int _tablesPerInterval = Math.Max(1, (int)Math.Round(interval.TotalSeconds));

    /// <summary>Snapshots delivered so far.</summary>
    public long Delivered { get; private set; }

    /// <summary>Takes tables until <paramref name="input"/> completes, then delivers what is left (<see cref="FlushAsync"/>).</summary>
    public async Task RunAsync(ChannelReader<CompletedInterval> input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        await foreach (var completed in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await AddAsync(completed, cancellationToken).ConfigureAwait(false);
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds one table; delivers a snapshot when it completes an interval.</summary>
    public async Task AddAsync(CompletedInterval completed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completed);
        var table = NameFiles(completed.Interval);
        var source = (completed.Source, table.Probe);
        if (!_accumulators.TryGetValue(source, out var accumulator))
        {
            accumulator = _accumulators[source] = new IntervalAccumulator(table.Probe, _tablesPerInterval);
        }

        if (accumulator.Add(table, completed.EndedAt) is { } summed)
        {
            await DeliverAsync(summed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>At the end of input: delivers each partly summed interval as a shorter snapshot, so no table is lost.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var accumulator in _accumulators.Values)
        {
            if (accumulator.Flush() is { } summed)
            {
                await DeliverAsync(summed, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DeliverAsync(SummedInterval summed, CancellationToken cancellationToken)
    {
        // Each script table covers the second before it ended.
        var start = new DateTimeOffset(DateTime.SpecifyKind(summed.FirstEnd, DateTimeKind.Utc)).ToUnixTimeMilliseconds() - 1000;
        var snapshot = SnapshotMapper.ToSnapshot(summed.Interval, start, TimeSpan.FromSeconds(summed.Tables), maxKeys);
        await deliver(snapshot, cancellationToken).ConfigureAwait(false);
        Delivered++;
    }

    /// <summary>
    /// Replaces every (device, inode) placeholder by the file's name under the key rule: the placeholder starts with
    /// a NUL, which no parsed key holds, so it can be told apart in-band and never leaves the agent.
    /// </summary>
    private ParsedInterval NameFiles(ParsedInterval table)
    {
        if (!table.Rows.Any(r => DevInodeKey.TryParse(r.Key, out _, out _)))
        {
            return table;
        }

        // Two inodes may share a name (libc.so.6 in two containers), and a name may equal a printed key: counts add up under it.
        var rows = new Dictionary<string, RowValues>(table.Rows.Count, StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var key = DevInodeKey.TryParse(row.Key, out var device, out var inode) ? Name(device, inode) : row.Key;
            rows[key] = rows.TryGetValue(key, out var sum) ? sum.SaturatingAdd(row.Values) : row.Values;
        }

        return table with { Rows = [.. rows.Select(kv => new ParsedRow(kv.Key, kv.Value))] };
    }

    private string Name(ulong device, ulong inode) =>
        nameFile(device, inode) is { Length: > 0 } name ? KeyRule.Normalize(name, KeyRule.MaxLength) : DevInodeResolver.Unnamed(device, inode);
}
