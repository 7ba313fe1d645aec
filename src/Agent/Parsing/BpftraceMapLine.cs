namespace Tracefleet.Agent.Parsing;

/// <summary>
/// A line of bpftrace's <c>print(@map)</c>: <c>@name[key]: value</c>, where a map with several keys
/// prints them comma-separated (<c>@faults[265289729, 131090]: 12</c>).
/// </summary>
public static class BpftraceMapLine
{
    public static bool TryParse(string line, out string map, out string key, out ulong value)
    {
        map = "";
        key = "";
        value = 0;
        if (line.Length < 6 || line[0] != '@')
        {
            return false;
        }

        var open = line.IndexOf('[', StringComparison.Ordinal);
        // The value follows the last "]: ", so a key holding "]: " still parses whole.
        var close = line.LastIndexOf("]: ", StringComparison.Ordinal);
        if (open < 2 || close <= open)
        {
            return false;
        }

        var pos = close + 3;
        if (!Columns.TryReadCount(line, ref pos, out value) || pos != line.Length)
        {
            return false;
        }

        map = line[1..open];
        key = line[(open + 1)..close];
        return key.Length > 0;
    }

    /// <summary>Splits the key of <c>@faults[dev, ino]</c>.</summary>
    public static bool TryParseDevInode(string key, out ulong device, out ulong inode)
    {
        inode = 0;
        var pos = 0;
        return Columns.TryReadCount(key, ref pos, out device)
            && pos < key.Length && key[pos++] == ','
            && Columns.TryReadCount(key, ref pos, out inode)
            && pos == key.Length;
    }
}
