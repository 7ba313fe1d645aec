using System.Globalization;

namespace Tracefleet.Agent.Resolution;

/// <summary>One line of <c>/proc/PID/maps</c>: "start-end perms offset major:minor inode   path".</summary>
public static class MapsLine
{
    public static bool TryParse(string line, out ulong device, out ulong inode, out string name)
    {
        device = 0;
        inode = 0;
        name = "";
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 6 || fields[5].Length == 0 || fields[5][0] != '/')
        {
            return false;
        }

        var majorMinor = fields[3].Split(':');
        if (majorMinor.Length != 2
            || !ulong.TryParse(majorMinor[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var major)
            || !ulong.TryParse(majorMinor[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var minor)
            || !ulong.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out inode)
            || inode == 0)
        {
            return false;
        }

        device = (major << 20) | minor;
        var path = fields[5].TrimStart(' ');
        const string Deleted = " (deleted)";
        if (path.EndsWith(Deleted, StringComparison.Ordinal))
        {
            path = path[..^Deleted.Length];
        }

        // The kernel writes a newline in a path as "\012" so that one mapping stays one line.
        name = Path.GetFileName(path).Replace("\\012", "\n", StringComparison.Ordinal);
        return name.Length > 0;
    }
}
