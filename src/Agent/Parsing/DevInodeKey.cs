using System.Globalization;

namespace Tracefleet.Agent.Parsing;

/// <summary>
/// The placeholder key bpftrace's filemap variant produces, "dev:ino" with the kernel's
/// <c>s_dev</c> number; the agent replaces it with the file's name before sending.
/// </summary>
public static class DevInodeKey
{
    private const string Prefix = "\0devino:";

    public static string Format(ulong device, ulong inode) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{device}:{inode}");

    public static bool TryParse(string key, out ulong device, out ulong inode)
    {
        device = 0;
        inode = 0;
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = key.AsSpan(Prefix.Length);
        var colon = parts.IndexOf(':');
        return colon > 0
            && ulong.TryParse(parts[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out device)
            && ulong.TryParse(parts[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out inode);
    }
}
