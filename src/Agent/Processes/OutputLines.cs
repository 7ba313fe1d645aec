using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Tracefleet.Agent.Processes;

/// <summary>
/// Splits tracer output into lines at '\n' only, one char per byte (Latin-1). StreamReader (and
/// CliWrap's line pipe) also end a line at '\r', which a file name may hold: a length-prefixed key
/// "a\r\nb" would come apart, and its length would then swallow the next row. A '\r' before the '\n'
/// stays in the line: only the parser knows whether it is framing (a capture taken through a terminal).
/// The last line says whether its newline arrived, so a row cut off mid-write is never taken for a whole one.
/// </summary>
public static class OutputLines
{
    public static async IAsyncEnumerable<OutputLine> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var partial = new ArrayBufferWriter<byte>();
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var rest = buffer.AsMemory(0, read);
            int newline;
            while ((newline = rest.Span.IndexOf((byte)'\n')) >= 0)
            {
                var line = TakeLine(partial, rest.Span[..newline]);
                rest = rest[(newline + 1)..];
                yield return new OutputLine(line, Terminated: true);
            }

            partial.Write(rest.Span);
        }

        // The last line may lack its newline (a tracer killed mid-line).
        if (partial.WrittenCount > 0)
        {
            yield return new OutputLine(Encoding.Latin1.GetString(partial.WrittenSpan), Terminated: false);
        }
    }

    private static string TakeLine(ArrayBufferWriter<byte> partial, ReadOnlySpan<byte> end)
    {
        if (partial.WrittenCount == 0)
        {
            return Encoding.Latin1.GetString(end);
        }

        partial.Write(end);
        var line = Encoding.Latin1.GetString(partial.WrittenSpan);
        partial.ResetWrittenCount();
        return line;
    }
}
