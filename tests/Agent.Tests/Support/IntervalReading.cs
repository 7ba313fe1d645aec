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

    public static ParsedRow[] Sorted(ParsedInterval interval) =>
        [.. interval.Rows.OrderBy(r => r.Key, StringComparer.Ordinal)];
}
