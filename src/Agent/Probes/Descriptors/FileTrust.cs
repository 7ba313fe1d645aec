using System.Runtime.InteropServices;

namespace Tracefleet.Agent.Probes.Descriptors;

/// <summary>
/// Whether a file may be handed to a tracer that runs as root: owned by root (or by the user the agent runs as, who
/// could run any script anyway) and writable by its owner alone. Anyone else who could change the file could make the
/// tracer run their code; the pinned SHA-256 catches a change made before the agent reads it, this what comes after.
/// </summary>
public static partial class FileTrust
{
    /// <summary>Null when <paramref name="path"/> may run; otherwise why not, naming the file.</summary>
    public static string? Check(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        if (!TryOwner(path, out var owner))
        {
            return $"{path}: cannot read its owner ({Marshal.GetLastPInvokeErrorMessage()})";
        }

        var agentUser = GetEffectiveUserId();
        if (owner != 0 && owner != agentUser)
        {
            return $"{path} is owned by user {owner}, not root: a script that runs as root must be root's (chown root {path})";
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0
            ? $"{path} is writable by its group or by everyone (mode {Convert.ToString((int)mode, 8)}): anyone who can change it runs code as root (chmod go-w {path})"
            : null;
    }

    /// <summary>
    /// Null when the folder holding <paramref name="path"/> keeps its files safe: owned by root (or the agent's user) and
    /// writable by its owner alone. In a folder others can write, they can swap a descriptor and its script together, pin
    /// and all.
    /// </summary>
    public static string? CheckFolder(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Check(folder) is { } problem ? $"{problem} (the folder of {Path.GetFileName(path)})" : null;
    }

    /// <summary>The file's owner through statx(2), whose buffer has one layout on every architecture (stx_uid at byte 20).</summary>
    private static bool TryOwner(string path, out uint owner)
    {
        const int AtFdCwd = -100;
        const uint StatxUid = 0x8;
        var buffer = new byte[256];
        owner = 0;
        if (Statx(AtFdCwd, path, 0, StatxUid, buffer) != 0)
        {
            return false;
        }

        owner = MemoryMarshal.Read<uint>(buffer.AsSpan(20));
        return true;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
