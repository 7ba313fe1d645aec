using Tracefleet.Agent.Parsing;
using Tracefleet.Agent.Processes;

namespace Tracefleet.Agent.Replay;

/// <summary>A file of captured script output, read whole into its intervals.</summary>
public static class CaptureFile
{
    /// <summary>
    /// Reads every interval of a capture. Bytes are split and read exactly as a live tracer's stdout is
    /// (<see cref="OutputLines"/>, one char per byte), so a capture parses as the tracer's output would have.
    /// </summary>
    public static async Task<IReadOnlyList<ParsedInterval>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var reader = new IntervalReader();
        var intervals = new List<ParsedInterval>();
        using var file = File.OpenRead(path);
        await foreach (var line in OutputLines.ReadAsync(file, cancellationToken).ConfigureAwait(false))
        {
            if (reader.ReadLine(line.Text, line.Terminated) is { } interval)
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
