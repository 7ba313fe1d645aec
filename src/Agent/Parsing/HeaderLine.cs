namespace Tracefleet.Agent.Parsing;

/// <summary>Recognises the header line each script prints at the top of every interval.</summary>
public static class HeaderLine
{
    public static bool TryParse(string line, out TableFormat format)
    {
        // Headers are short; a row never starts with a letter, so splitting only header-like lines is cheap.
        var trimmed = line.AsSpan().TrimStart(' ');
        if (trimmed.Length == 0 || (trimmed[0] != 'F' && trimmed[0] != 'A'))
        {
            format = default;
            return false;
        }

        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        format = words switch
        {
            ["FAULTS", "VMFILE" or "VNODE"] => TableFormat.PageFaults,
            ["FAULTS", "LEN", "VMFILE" or "VNODE"] => TableFormat.PageFaultsLengthPrefixed,
            ["FAULTS", "DEV", "INODE"] => TableFormat.PageFaultsDevInode,
            ["ALLOCS", "FREES", "SLAB"] => TableFormat.Kmem,
            ["ALLOCS", "FREES", "LEN", "SLAB"] => TableFormat.KmemLengthPrefixed,
            _ => (TableFormat)(-1),
        };
        return Enum.IsDefined(format);
    }
}
