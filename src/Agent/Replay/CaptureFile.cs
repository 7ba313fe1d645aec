using Tracefleet.Agent.Parsing;
using Tracefleet.Agent.Processes;

namespace Tracefleet.Agent.Replay;

/// <summary>A file of captured script output, read whole into its intervals.</summary>
public static class CaptureFile
{
    /// <summary>
    /// Reads every interval of a capture. Bytes are read as Latin-1 (one char per byte), exactly as
    /// the live tracers' stdout is, so a key with any bytes survives to <see cref="KeyText"/>.
    /// </summary>
    public static async Task<IReadOnlyList<ParsedInterval>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var reader = new IntervalReader();
        var intervals = new List<ParsedInterval>();
        using var file = File.OpenRead(path);
        await foreach (var line in OutputLines.ReadAsync(file, cancellationToken).ConfigureAwait(false))
        {
            if (reader.ReadLine(line) is { } interval)
            {
                intervals.Add(interval);
            }
        }

        if (reader.Complete() is { } last)
        {
            intervals.Add(last);
        }

        if (intervals.Count == 0)
        {
            throw new InvalidDataException(
                $"{path}: no table found; a capture starts with a header line such as \"  FAULTS VMFILE\" or \"  ALLOCS    FREES SLAB\".");
        }

        return intervals;
    }
}
