using System.Globalization;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Spool;

/// <summary>
/// Snapshots on disk until the server acknowledges them: one file per snapshot, written to a temporary
/// name and renamed, so a kill never leaves half a snapshot behind. Bounded by total size and by age;
/// when either is exceeded the oldest snapshots go first, and the count is logged. The size is what the
/// disk holds, not the bytes written: each file takes whole allocation units (<see cref="AllocationUnit"/>).
/// </summary>
public sealed partial class SnapshotSpool : ISnapshotStore
{
    /// <summary>
    /// The unit a file's size is rounded up to, in bytes: the block of the file systems an agent's state lives on
    /// (ext4, XFS and tmpfs all allocate 4 KiB blocks to a small file). A 300-byte snapshot takes 4096 bytes of disk,
    /// so counting written bytes let a budget of 256 MB take over a gigabyte.
    /// </summary>
    public const long AllocationUnit = 4096;

    private const string Extension = ".snap";
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RejectedFolder _rejected;
    private readonly SortedDictionary<ulong, (long Bytes, long StartUnixMs)> _files = [];
    private readonly Lock _gate = new();
    private long _bytes;

    public SnapshotSpool(string directory, long maxBytes, TimeSpan maxAge, TimeProvider time, ILogger logger)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _maxAge = maxAge;
        _time = time;
        _logger = logger;
        // Beside the spool: refused snapshots must not be recovered and sent again.
        _rejected = new RejectedFolder(Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)))!, "rejected"), logger);
        Directory.CreateDirectory(directory);
    }

    /// <summary>Disk space the spooled snapshots take, in bytes: each file's size rounded up to <see cref="AllocationUnit"/>.</summary>
    public long Bytes => _bytes;

    public long Dropped { get; private set; }

    /// <summary>Everything a previous run left unacknowledged, oldest first; damaged files are deleted and counted.</summary>
    public IReadOnlyList<Snapshot> Recover()
    {
        var recovered = new List<Snapshot>();
        var damaged = 0;
        foreach (var temporary in Directory.EnumerateFiles(_directory, "*.tmp"))
        {
            File.Delete(temporary);
        }

        foreach (var file in Directory.EnumerateFiles(_directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            // The name is the sequence; a file that does not parse, or whose content disagrees with its name (an empty
            // file parses as sequence 0), is damaged.
            if (TryParse(bytes) is not { } snapshot || snapshot.Sequence == 0 || snapshot.Sequence != SequenceOf(file))
            {
                damaged++;
                File.Delete(file);
                continue;
            }

            lock (_gate)
            {
                Track(snapshot.Sequence, bytes.Length, snapshot.StartUnixMs);
            }

            recovered.Add(snapshot);
        }

        if (recovered.Count > 0 || damaged > 0)
        {
            LogRecovered(_logger, recovered.Count, _directory, damaged);
        }

        return recovered;
    }

    /// <summary>One past the highest sequence in the spool, for <see cref="AgentState"/>.</summary>
    public ulong NextAfterSpooled()
    {
        var highest = Directory.EnumerateFiles(_directory, "*" + Extension)
            .Select(SequenceOf)
            .DefaultIfEmpty(0UL)
            .Max();
        return highest + 1;
    }

    /// <summary>The sequence a spool file is named for; 0 when the name is not one.</summary>
    private static ulong SequenceOf(string file) =>
        ulong.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;

    private static Snapshot? TryParse(byte[] bytes)
    {
        try
        {
            return Snapshot.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    public IReadOnlyList<ulong> Save(Snapshot snapshot)
    {
        var bytes = snapshot.ToByteArray();
        var path = PathOf(snapshot.Sequence);
        File.WriteAllBytes(path + ".tmp", bytes);
        File.Move(path + ".tmp", path, overwrite: true);
        lock (_gate)
        {
            Track(snapshot.Sequence, bytes.Length, snapshot.StartUnixMs);
            return EnforceBudget(keep: snapshot.Sequence);
        }
    }

    public Snapshot? Load(ulong sequence)
    {
        try
        {
            return Snapshot.Parser.ParseFrom(File.ReadAllBytes(PathOf(sequence)));
        }
        catch (Exception e) when (e is IOException or InvalidProtocolBufferException)
        {
            return null;
        }
    }

    public void SetAside(ulong sequence, string reason)
    {
        lock (_gate)
        {
            if (_files.Remove(sequence, out var file))
            {
                _bytes -= file.Bytes;
            }
        }

        var path = PathOf(sequence);
        if (File.Exists(path))
        {
            _rejected.Keep(path, sequence, reason);
        }
    }

    public void Renumber(ulong oldSequence, Snapshot snapshot)
    {
        var bytes = snapshot.ToByteArray();
        var path = PathOf(snapshot.Sequence);
        File.WriteAllBytes(path + ".tmp", bytes);
        File.Move(path + ".tmp", path, overwrite: true);
        lock (_gate)
        {
            if (oldSequence != snapshot.Sequence && _files.Remove(oldSequence, out var old))
            {
                _bytes -= old.Bytes;
            }

            Track(snapshot.Sequence, bytes.Length, snapshot.StartUnixMs);
        }

        if (oldSequence != snapshot.Sequence)
        {
            File.Delete(PathOf(oldSequence));
        }
    }

    public void Delete(ulong sequence)
    {
        lock (_gate)
        {
            if (_files.Remove(sequence, out var file))
            {
                _bytes -= file.Bytes;
            }
        }

        File.Delete(PathOf(sequence));
    }

    private void Track(ulong sequence, long length, long startUnixMs)
    {
        if (_files.Remove(sequence, out var old))
        {
            _bytes -= old.Bytes;
        }

        var bytes = OnDisk(length);
        _files[sequence] = (bytes, startUnixMs);
        _bytes += bytes;
    }

    /// <summary>The disk space a file of <paramref name="length"/> bytes takes: whole allocation units.</summary>
    public static long OnDisk(long length) => (length + AllocationUnit - 1) / AllocationUnit * AllocationUnit;

    private List<ulong> EnforceBudget(ulong keep)
    {
        var dropped = new List<ulong>();
        var oldestAllowed = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_maxAge.TotalMilliseconds;
        while (_files.Count > 1)
        {
            var (sequence, file) = _files.First();
            if (sequence == keep || (_bytes <= _maxBytes && file.StartUnixMs >= oldestAllowed))
            {
                break;
            }

            _files.Remove(sequence);
            _bytes -= file.Bytes;
            File.Delete(PathOf(sequence));
            dropped.Add(sequence);
        }

        if (dropped.Count > 0)
        {
            Dropped += dropped.Count;
            LogDropped(_logger, dropped.Count, _maxBytes / (1024 * 1024), _maxAge.TotalHours, Dropped);
        }

        return dropped;
    }

    private string PathOf(ulong sequence) =>
        Path.Combine(_directory, sequence.ToString("D20", CultureInfo.InvariantCulture) + Extension);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spool: {Count} unacknowledged snapshots recovered from {Directory} ({Damaged} damaged files deleted)")]
    private static partial void LogRecovered(ILogger logger, int count, string directory, int damaged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool full (over {MaxMb} MB or older than {MaxHours} h): dropped the {Count} oldest snapshots ({Total} dropped so far)")]
    private static partial void LogDropped(ILogger logger, int count, long maxMb, double maxHours, long total);
}
