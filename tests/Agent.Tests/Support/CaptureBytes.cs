using System.Text;
using Tracefleet.Agent.Replay;

namespace Tracefleet.Agent.Tests.Support;

/// <summary>Captures written byte for byte (given one char per byte) to a temporary file, as an operator would save them.</summary>
internal static class CaptureBytes
{
    public static string WriteTemp(string latin1)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-capture-{Guid.NewGuid():N}.txt");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes(latin1));
        return path;
    }

    /// <summary>Reads the bytes exactly as <c>--replay</c> reads a capture file.</summary>
    public static async Task<IReadOnlyList<ParsedInterval>> ReadAsync(string latin1)
    {
        var path = WriteTemp(latin1);
        try
        {
            return await CaptureFile.ReadAsync(path, CancellationToken.None);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
