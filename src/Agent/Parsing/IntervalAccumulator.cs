using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Parsing;

/// <summary>
/// Sums consecutive one-second tables of one probe into one interval of <c>--interval</c> length,
/// so every backend's scripts can stay at one second. With a count of 1 it passes tables through.
/// </summary>
public sealed class IntervalAccumulator(ProbeKind probe, int tablesPerInterval)
{
    private readonly Dictionary<string, (ulong First, ulong Second)> _sums = new(StringComparer.Ordinal);
    private TableFormat _format;
    private int _tables;
    private int _malformed;
    private DateTime _firstEnd;

    /// <summary>Adds a table; returns the summed interval and the end time of its first table once enough have arrived.</summary>
    public (ParsedInterval Interval, DateTime FirstEnd)? Add(ParsedInterval table, DateTime endedAt)
    {
        if (table.Probe != probe)
        {
            throw new ArgumentException($"expected a {probe.Name()} table, got {table.Probe.Name()}", nameof(table));
        }

        if (tablesPerInterval == 1)
        {
            return (table, endedAt);
        }

        if (_tables == 0)
        {
            _firstEnd = endedAt;
        }

        _format = table.Format;
        _malformed += table.MalformedLines;
        foreach (var row in table.Rows)
        {
            _sums[row.Key] = _sums.TryGetValue(row.Key, out var sum)
                ? (Columns.SaturatingAdd(sum.First, row.First), Columns.SaturatingAdd(sum.Second, row.Second))
                : (row.First, row.Second);
        }

        if (++_tables < tablesPerInterval)
        {
            return null;
        }

        var rows = _sums.Select(kv => new ParsedRow(kv.Key, kv.Value.First, kv.Value.Second)).ToList();
        var interval = new ParsedInterval(_format, rows, _malformed);
        _sums.Clear();
        _tables = 0;
        _malformed = 0;
        return (interval, _firstEnd);
    }
}
