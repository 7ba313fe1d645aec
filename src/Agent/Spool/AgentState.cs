using System.Globalization;
using System.Text.Json;

namespace Tracefleet.Agent.Spool;

/// <summary>
/// The agent's identity on disk (<c>--state-dir</c>): its epoch, chosen once, and its sequence numbers,
/// which never repeat within the epoch, across restarts and crashes. Numbers are reserved in blocks and
/// the reservation is written before any number of the block is used, so a crash skips numbers
/// (harmless) but never reuses one (which the server would take for a resend and ignore).
/// A lock file keeps a second agent off the same directory.
/// </summary>
public sealed class AgentState : ISequenceSource, IDisposable
{
    public const ulong BlockSize = 1024;

    private readonly string _path;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    private ulong _next;
    private ulong _reserved;

    private AgentState(string directory, FileStream lockFile, ulong epoch, ulong next)
    {
        Directory = directory;
        _path = Path.Combine(directory, "agent-state.json");
        _lock = lockFile;
        Epoch = epoch;
        _next = next;
        _reserved = next;
    }

    public string Directory { get; }

    public ulong Epoch { get; private set; }

    /// <summary>Opens (or creates) the state in <paramref name="directory"/>; <paramref name="atLeast"/> is one past the highest sequence found in the spool.</summary>
    public static AgentState Open(string directory, Func<ulong> atLeast)
    {
        // The spool holds every traced file's name: a state directory the agent creates is its user's alone.
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(directory, "agent.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new AgentExitException(AgentExitException.DeliveryFailed, $"--state-dir {directory} is in use by another agent ({e.Message}); give each agent its own state directory.");
        }

        var path = Path.Combine(directory, "agent-state.json");
        var saved = File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), AgentStateJson.Default.Saved) : null;
        var epoch = saved is { Epoch: { } text } ? ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : Epochs.New();
        var next = Math.Max(saved?.NextSequence ?? 1, Math.Max(atLeast(), 1));
        var state = new AgentState(directory, lockFile, epoch, next);
        state.Reserve();
        return state;
    }

    public ulong Allocate()
    {
        lock (_gate)
        {
            if (_next >= _reserved)
            {
                Reserve();
            }

            return _next++;
        }
    }

    /// <summary>
    /// A new epoch, written before any of its numbers is used: the server found this state's numbers already used
    /// (the directory was restored from a backup or copied), so they must not be used again.
    /// </summary>
    public ulong BeginNewEpoch()
    {
        lock (_gate)
        {
            Epoch = Epochs.New();
            _next = 1;
            Reserve();
            return Epoch;
        }
    }

    private void Reserve()
    {
        _reserved = _next + BlockSize;
        var saved = new Saved(Epoch.ToString("x16", CultureInfo.InvariantCulture), _reserved);
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(saved, AgentStateJson.Default.Saved));
        File.Move(temporary, _path, overwrite: true);
    }

    public void Dispose() => _lock.Dispose();

    internal sealed record Saved(string Epoch, ulong NextSequence);
}
