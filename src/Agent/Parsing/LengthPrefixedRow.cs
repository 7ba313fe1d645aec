namespace Tracefleet.Agent.Parsing;

/// <summary>
/// Rows of Tracefleet's own stap/dtrace scripts: the counts, then the key's length in bytes, then the key.
/// A key holding a newline continues on the next lines; the length says how far, so a file name can
/// never end one row and forge another.
/// </summary>
public static class LengthPrefixedRow
{
    /// <summary>
    /// Parses <paramref name="valueCount"/> counts, then <c>%5u %s</c>: <c>%8u %5u %s</c> (pfstat), <c>%8u %8u %5u %s</c>
    /// (kmemstat). <paramref name="keyStart"/> is the key's first line, which may be shorter than
    /// <paramref name="keyLength"/>; one '\r' after a key of the full length is framing and left out.
    /// </summary>
    public static bool TryParse(string line, int valueCount, out RowValues values, out int keyLength, out string keyStart)
    {
        var pos = 0;
        keyLength = 0;
        keyStart = "";
        return Columns.TryReadCounts(line, ref pos, valueCount, out values)
            && TryReadKey(line, ref pos, out keyLength, out keyStart);
    }

    private static bool TryReadKey(string line, ref int pos, out int keyLength, out string keyStart)
    {
        keyLength = 0;
        keyStart = "";
        if (!Columns.TrySkipSeparator(line, ref pos)
            || !Columns.TryReadCount(line, ref pos, out var length)
            || length is 0 or > MaxKeyBytes
            || !Columns.TrySkipSeparator(line, ref pos))
        {
            return false;
        }

        keyLength = (int)length;
        // The length decides: one '\r' right after a complete key is the line's framing (CR-LF output), not the key's.
        var end = line.Length - pos == keyLength + 1 && line[^1] == '\r' ? line.Length - 1 : line.Length;
        keyStart = line[pos..end];
        return keyStart.Length <= keyLength;
    }

    /// <summary>Linux caps a path at 4096 bytes; anything longer is not a key but garbage.</summary>
    public const int MaxKeyBytes = 4096;
}
