namespace Tracefleet.Agent.Parsing;

/// <summary>
/// Rows of the exercise's tables: the counts, one <c>%8u</c> per value column, then the key: <c>%8u %s</c> (pfstat)
/// and <c>%8u %8u %s</c> (kmemstat). The key is everything after the single space that follows the last count, so it
/// may hold spaces or start with one.
/// </summary>
public static class TableRow
{
    /// <summary>Parses <paramref name="valueCount"/> counts (at most <see cref="RowValues.MaxCount"/>) and the key.</summary>
    public static bool TryParse(string line, int valueCount, out string key, out RowValues values)
    {
        var pos = 0;
        key = "";
        if (!Columns.TryReadCounts(line, ref pos, valueCount, out values)
            || !Columns.TrySkipSeparator(line, ref pos)
            || pos >= line.Length)
        {
            return false;
        }

        key = line[pos..];
        return true;
    }
}
