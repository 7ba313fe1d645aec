using System.Globalization;
using Tracefleet.Agent.Parsing;

namespace Tracefleet.Agent.Resolution;

/// <summary>
/// Names the files of bpftrace's filemap variant, which only knows a fault's (device, inode).
/// Every mapped file appears in some process's <c>/proc/PID/maps</c> as "major:minor inode path",
/// so one scan of all maps answers every inode still mapped; the answers are cached, and a miss
/// rescans at most once per <see cref="RescanInterval"/>.
/// </summary>
public sealed class DevInodeResolver(string procRoot = "/proc")
{
    private readonly Dictionary<(ulong Device, ulong Inode), string> _names = [];
    private readonly Dictionary<ulong, string?> _byInode = [];
    private readonly Dictionary<(ulong Device, ulong Inode), DateTime> _misses = [];
    private DateTime _lastScan = DateTime.MinValue;
    private byte[] _buffer = new byte[64 * 1024];

    public static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// An inode no scan could name (its process exited) does not trigger another scan for this long:
    /// files of short-lived processes would otherwise cost a full /proc scan every second.
    /// </summary>
    public static readonly TimeSpan MissMemory = TimeSpan.FromSeconds(30);

    /// <summary>Cached names, at most; the cache is rebuilt when it grows past this.</summary>
    public const int MaxCachedNames = 100_000;

    /// <summary>Resolves a key of the reader's dev/inode placeholder form; any other key comes back unchanged.</summary>
    public string Resolve(string key) => DevInodeKey.TryParse(key, out var device, out var inode) ? Resolve(device, inode) : key;

    /// <summary>
    /// The file's name (its last path component, as SystemTap's d_name() shows it, under <see cref="Contract.KeyRule"/>),
    /// or <see cref="Unnamed"/> when no process maps it.
    /// </summary>
    public string Resolve(ulong device, ulong inode)
    {
        if (_names.TryGetValue((device, inode), out var name))
        {
            return name;
        }

        var now = DateTime.UtcNow;
        var missedRecently = _misses.TryGetValue((device, inode), out var missedAt) && now - missedAt < MissMemory;
        if (!missedRecently && now - _lastScan >= RescanInterval)
        {
            Scan();
            if (_names.TryGetValue((device, inode), out name))
            {
                return name;
            }

            if (_misses.Count > MaxCachedNames)
            {
                _misses.Clear();
            }

            _misses[(device, inode)] = now;
        }

        // On overlayfs (containers) the tracepoint names the lower device while maps shows the overlay's;
        // the inode is the same, so an inode that only one mapped file has is that file.
        if (_byInode.TryGetValue(inode, out name) && name is not null)
        {
            return name;
        }

        return Unnamed(device, inode);
    }

    /// <summary>
    /// The key of a file known only by its kernel dev_t and inode, <c>[dev MAJOR:MINOR ino N]</c>: what this machine
    /// cannot name, and every such file of a capture from another host (whose files this machine's /proc does not know).
    /// </summary>
    public static string Unnamed(ulong device, ulong inode) =>
        string.Create(CultureInfo.InvariantCulture, $"[dev {Major(device)}:{Minor(device)} ino {inode}]");

    /// <summary>The kernel's internal dev_t (what tracepoints carry): major in the high 12 bits, minor in the low 20.</summary>
    public static ulong Major(ulong device) => device >> 20;

    public static ulong Minor(ulong device) => device & 0xFFFFF;

    private void Scan()
    {
        _lastScan = DateTime.UtcNow;
        if (_names.Count > MaxCachedNames)
        {
            _names.Clear();
            _byInode.Clear();
        }

        IEnumerable<string> processes;
        try
        {
            processes = Directory.EnumerateDirectories(procRoot);
        }
        catch (IOException)
        {
            return;
        }

        foreach (var process in processes)
        {
            if (!char.IsAsciiDigit(Path.GetFileName(process.AsSpan())[0]))
            {
                continue;
            }

            try
            {
                Learn(ReadAll(Path.Combine(process, "maps")));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited between listing and reading; its files are someone else's too, or gone.
            }
        }
    }

    /// <summary>Reads a whole maps file into the reused buffer.</summary>
    private ReadOnlySpan<byte> ReadAll(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = 0;
        int read;
        while ((read = RandomAccess.Read(handle, _buffer.AsSpan(length), length)) > 0)
        {
            length += read;
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }

        return _buffer.AsSpan(0, length);
    }

    private void Learn(ReadOnlySpan<byte> maps)
    {
        foreach (var range in maps.Split((byte)'\n'))
        {
            if (!MapsLine.TryParse(maps[range], out var device, out var inode, out var rawName))
            {
                continue;
            }

            // Most mappings name a file an earlier scan already knows: no string is built for those.
            if (_names.TryGetValue((device, inode), out var known) && MapsLine.NameEquals(rawName, known))
            {
                continue;
            }

            var path = MapsLine.Name(rawName);
            if (path.Length == 0)
            {
                continue;
            }

            _names[(device, inode)] = path;
            // Two different names for one inode number (on different devices) make it ambiguous: null.
            _byInode[inode] = _byInode.TryGetValue(inode, out var byInode) && byInode != path ? null : path;
        }
    }
}
