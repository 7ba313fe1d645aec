using System.Globalization;
using System.Text;
using Tracefleet.Contract;

namespace Tracefleet.Agent.Resolution;

/// <summary>One line of <c>/proc/PID/maps</c>: "start-end perms offset major:minor inode   path".</summary>
public static class MapsLine
{
    private const string Deleted = " (deleted)";

    public static bool TryParse(string line, out ulong device, out ulong inode, out string name)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        name = "";
        if (!TryParse(bytes, out device, out inode, out var rawName))
        {
            return false;
        }

        name = Name(rawName);
        return name.Length > 0;
    }

    /// <summary>
    /// Parses the line's bytes without allocating: a scan reads every mapping of every process, and almost
    /// all of them are files it already knows. <paramref name="rawName"/> is the base name as the kernel
    /// printed it; <see cref="Name"/> turns it into text.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out ulong device, out ulong inode, out ReadOnlySpan<byte> rawName)
    {
        device = 0;
        inode = 0;
        rawName = default;
        var rest = line;
        // Address, permissions, offset: skipped.
        for (var i = 0; i < 3; i++)
        {
            if (NextField(ref rest).IsEmpty)
            {
                return false;
            }
        }

        var majorMinor = NextField(ref rest);
        var colon = majorMinor.IndexOf((byte)':');
        if (colon < 0
            || !ulong.TryParse(majorMinor[..colon], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var major)
            || !ulong.TryParse(majorMinor[(colon + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var minor)
            || !ulong.TryParse(NextField(ref rest), NumberStyles.None, CultureInfo.InvariantCulture, out inode)
            || inode == 0)
        {
            return false;
        }

        device = (major << 20) | minor;
        var path = rest.TrimStart((byte)' ');
        if (path.IsEmpty || path[0] != (byte)'/')
        {
            return false;
        }

        if (path.EndsWith(" (deleted)"u8))
        {
            path = path[..^Deleted.Length];
        }

        rawName = path[(path.LastIndexOf((byte)'/') + 1)..];
        return !rawName.IsEmpty;
    }

    /// <summary>
    /// The base name as a key (<see cref="KeyRule"/>, as if a tracer had printed it). The kernel writes a newline
    /// in a path as "\012" so that one mapping stays one line; the rule then shows it as <c>\x0a</c>.
    /// Empty when the name makes no key.
    /// </summary>
    public static string Name(ReadOnlySpan<byte> rawName)
    {
        var raw = Encoding.Latin1.GetString(rawName).Replace("\\012", "\n", StringComparison.Ordinal);
        return KeyRule.TryFromRawBytes(raw, KeyRule.MaxLength, out var key) ? key : "";
    }

    /// <summary>True when <paramref name="name"/> is what <see cref="Name"/> would return for <paramref name="rawName"/>, without building it.</summary>
    public static bool NameEquals(ReadOnlySpan<byte> rawName, string name)
    {
        // Printable ASCII is its own key; anything else (escapes, UTF-8, control bytes) takes the rule.
        if (rawName.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) || rawName.IndexOf("\\012"u8) >= 0)
        {
            return Name(rawName) == name;
        }

        return Ascii.Equals(rawName, name);
    }

    private static ReadOnlySpan<byte> NextField(ref ReadOnlySpan<byte> rest)
    {
        rest = rest.TrimStart((byte)' ');
        var end = rest.IndexOf((byte)' ');
        var field = end < 0 ? rest : rest[..end];
        rest = end < 0 ? default : rest[end..];
        return field;
    }
}
