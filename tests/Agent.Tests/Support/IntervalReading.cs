namespace Tracefleet.Agent.Tests.Support;

/// <summary>Feeds lines to a fresh <see cref="IntervalReader"/> the way <c>CaptureFile</c> does.</summary>
internal static class IntervalReading
{
    public static List<ParsedInterval> ReadAll(params string[] lines)
    {
        var reader = new IntervalReader();
        var intervals = new List<ParsedInterval>();
        foreach (var line in lines)
        {
            if (reader.ReadLine(line) is { } interval)
            {
                intervals.Add(interval);
            }
        }

        if (reader.Complete() is { } last)
        {
            intervals.Add(last);
        }

        return intervals;
    }

    /// <summary>A row of the naive reference (two counts per row, the second zero where a table has one) as a parsed row.</summary>
    public static ParsedRow Reference(string key, (ulong First, ulong Second) counts) => new(key, [counts.First, counts.Second]);

    /// <summary>A parsed row as the naive reference reads it: the second count zero for a probe of one column.</summary>
    public static (string Key, ulong First, ulong Second) AsReference(ParsedRow row) => (row.Key, row.Values[0], row.Values[1]);

    /// <summary>Every key once, its values summed column by column (checked: the fixtures never come near overflow).</summary>
    public static ParsedRow[] Totals(IEnumerable<ParsedRow> rows) =>
        [.. rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g => new ParsedRow(g.Key, g.Select(r => r.Values).Aggregate(CheckedSum)))
            .OrderBy(r => r.Key, StringComparer.Ordinal)];

    public static ParsedRow[] Sorted(ParsedInterval interval) =>
        [.. interval.Rows.OrderBy(r => r.Key, StringComparer.Ordinal)];

    private static RowValues CheckedSum(RowValues sum, RowValues values)
    {
        var total = new ulong[RowValues.MaxCount];
        for (var i = 0; i < total.Length; i++)
        {
            total[i] = checked(sum[i] + values[i]);
        }

        return [.. total];
    }
}
