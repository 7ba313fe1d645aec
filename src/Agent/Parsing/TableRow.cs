namespace Tracefleet.Agent.Parsing;

/// <summary>
/// Rows of the exercise's tables: <c>%8u %s</c> (pfstat) and <c>%8u %8u %s</c> (kmemstat).
/// The key is everything after the single space that follows the last count, so it may hold
/// spaces or start with one.
/// </summary>
public static class TableRow
{
    public static bool TryParsePageFaults(string line, out string key, out ulong faults)
    {
        var pos = 0;
        if (Columns.TryReadCount(line, ref pos, out faults)
            && Columns.TrySkipSeparator(line, ref pos)
            && pos < line.Length)
        {
            key = line[pos..];
            return true;
        }

        key = "";
        return false;
    }

    public static bool TryParseKmem(string line, out string key, out ulong allocs, out ulong frees)
    {
        var pos = 0;
        frees = 0;
        if (Columns.TryReadCount(line, ref pos, out allocs)
            && Columns.TrySkipSeparator(line, ref pos)
            && Columns.TryReadCount(line, ref pos, out frees)
            && Columns.TrySkipSeparator(line, ref pos)
            && pos < line.Length)
        {
            key = line[pos..];
            return true;
        }

        key = "";
        return false;
    }
}
