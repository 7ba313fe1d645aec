using System.Text;

namespace Tracefleet.Agent.Parsing;

/// <summary>
/// Turns a key read byte-for-byte (tracer output is read as Latin-1, one char per byte) into text:
/// valid UTF-8 is decoded, and each byte that is not becomes a visible <c>\xNN</c>.
/// </summary>
public static class KeyText
{
    public static string FromRawBytes(string raw)
    {
        if (Ascii.IsValid(raw))
        {
            return raw;
        }

        var bytes = Encoding.Latin1.GetBytes(raw);
        var text = new StringBuilder(bytes.Length);
        ReadOnlySpan<byte> rest = bytes;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(rest, out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                consumed = 1;
                text.Append("\\x").Append(rest[0].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            rest = rest[consumed..];
        }

        return text.ToString();
    }

    /// <summary>The raw-byte form of a text key, as a tracer would print it (the inverse for valid UTF-8).</summary>
    public static string ToRawBytes(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));
}
