using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Tracefleet.Agent.Spool;

/// <summary>
/// Snapshots the server refused, kept for a person to look at (<c>--state-dir</c>/rejected): each as <c>SEQUENCE.snap</c>
/// (the spool's protobuf file, unchanged) with <c>SEQUENCE.reason</c> beside it, the server's words. Bounded: past
/// <see cref="MaxFiles"/> snapshots the oldest go. Nothing here is ever sent again.
/// </summary>
public sealed partial class RejectedFolder(string directory, ILogger logger)
{
    /// <summary>Refused snapshots kept, at most (a spool file is a few KB).</summary>
    public const int MaxFiles = 200;

    public string Directory => directory;

    /// <summary>Moves the spool file <paramref name="spooled"/> here with its reason.</summary>
    public void Keep(string spooled, ulong sequence, string reason)
    {
        System.IO.Directory.CreateDirectory(directory);
        var name = Path.Combine(directory, sequence.ToString("D20", CultureInfo.InvariantCulture));
        try
        {
            File.WriteAllText(name + ".reason", reason + "\n");
            File.Move(spooled, name + ".snap", overwrite: true);
        }
        catch (IOException e)
        {
            // Losing the copy of a refused snapshot loses nothing the server would have taken.
            LogKeepFailed(logger, sequence, e.Message);
            File.Delete(spooled);
        }

        Trim();
    }

    private void Trim()
    {
        var kept = System.IO.Directory.EnumerateFiles(directory, "*.snap").Order(StringComparer.Ordinal).ToList();
        foreach (var oldest in kept.Take(Math.Max(0, kept.Count - MaxFiles)))
        {
            File.Delete(oldest);
            File.Delete(Path.ChangeExtension(oldest, ".reason"));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not keep refused snapshot {Sequence} in the rejected folder: {Reason}")]
    private static partial void LogKeepFailed(ILogger logger, ulong sequence, string reason);
}
