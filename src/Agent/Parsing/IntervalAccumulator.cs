
namespace Tracefleet.Agent.Parsing;

/// <summary>Tables summed into one interval: the end time of the first and how many one-second tables it covers.</summary>
public readonly record struct SummedInterval(ParsedInterval Interval, DateTime FirstEnd, int Tables);

/// <summary>
/// Sums consecutive one-second tables of one probe into one interval of <c>--interval</c> length,
/// so every backend's scripts can stay at one second. With a count of 1 it passes tables through.
/// </summary>
public sealed class IntervalAccumulator(ProbeDefinition probe, int tablesPerInterval)
{
    private readonly Dictionary<string, RowValues> _sums = new(StringComparer.Ordinal);
    private TableFormat _format;
    private int _tables;
    private int _malformed;
    private DateTime _firstEnd;
    private DateTime? _lastEnd;

    /// <summary>
    /// Adds a table; returns the summed interval once enough have arrived. The rest of a table closed early (a
    /// <see cref="ParsedInterval.Continuation"/>) counts no second of its own: it joins the interval being summed, or,
    /// when that was already handed on, goes out alone stamped with the second it belongs to.
    /// </summary>
    public SummedInterval? Add(ParsedInterval table, DateTime endedAt)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Probe != probe)
        {
            throw new ArgumentException($"expected a {probe.Name} table, got {table.Probe.Name}", nameof(table));
        }

        if (table.Continuation && _lastEnd is { } tableEnd)
        {
            if (_tables == 0)
            {
                return new SummedInterval(table, tableEnd, 1);
            }

            Sum(table);
            return null;
        }

        _lastEnd = endedAt;
        if (tablesPerInterval == 1)
        {
            return new SummedInterval(table, endedAt, 1);
        }

        if (_tables == 0)
        {
            _firstEnd = endedAt;
        }

        Sum(table);
        return ++_tables < tablesPerInterval ? null : Take();
    }

    /// <summary>At the end of input: the tables summed so far as a shorter interval (nothing is dropped), or null when there are none.</summary>
    public SummedInterval? Flush() => _tables == 0 ? null : Take();

    private void Sum(ParsedInterval table)
    {
        _format = table.Format;
        _malformed += table.MalformedLines;
        foreach (var row in table.Rows)
        {
            _sums[row.Key] = _sums.TryGetValue(row.Key, out var sum) ? sum.SaturatingAdd(row.Values) : row.Values;
        }
    }

    private SummedInterval Take()
    {
        var rows = _sums.Select(kv => new ParsedRow(kv.Key, kv.Value)).ToList();
        var summed = new SummedInterval(new ParsedInterval(_format, rows, _malformed), _firstEnd, _tables);
        _sums.Clear();
        _tables = 0;
        _malformed = 0;
        return summed;
    }
}
