using System.Buffers;
using System.Text;

namespace Tracefleet.Contract;

/// <summary>
/// The one rule for keys (file and cache names), applied by the agent to what a tracer prints and by the
/// server to what an agent sends, so both ends agree on what a key may hold:
/// <list type="bullet">
/// <item>valid UTF-8 is text; every byte that is not becomes a visible <c>\xNN</c>;</item>
/// <item>control characters (C0, DEL, C1) are escaped the same way, byte for byte of their UTF-8 form
/// (<c>ESC</c> → <c>\x1b</c>, a newline → <c>\x0a</c>), so a key can never forge a log line or a table row;</item>
/// <item>a key longer than the limit (in UTF-16 characters, as .NET and the API count them) is cut at a whole
/// character or escape and ends with <see cref="CutMarker"/>; its counts are kept;</item>
/// <item>a key read from tracer output that holds a NUL byte is no key at all: no file or cache name can hold
/// one (it is the padding a crash leaves behind), so the agent counts the line as malformed.</item>
/// </list>
/// A backslash is not escaped: keys are display names, and a literal <c>\x41</c> in a file name stays as it is.
/// </summary>
public static class KeyRule
{
    /// <summary>The longest key, in UTF-16 characters, unless configured lower (server: <c>Limits:MaxKeyLength</c>).</summary>
    public const int MaxLength = 4096;

    /// <summary>Ends a key that was cut to the length limit.</summary>
    public const string CutMarker = "[…]";

    private static readonly SearchValues<char> PrintableAscii = SearchValues.Create(
        Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).ToArray());

    /// <summary>
    /// Turns a key read byte for byte from tracer output (one char per byte, as Latin-1 reads it) into a key that
    /// obeys the rule. False when there is no key: empty, or holding a NUL byte.
    /// </summary>
    public static bool TryFromRawBytes(string raw, int maxLength, out string key)
    {
        key = "";
        if (raw.Length == 0 || raw.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        if (raw.Length <= maxLength && !raw.AsSpan().ContainsAnyExcept(PrintableAscii))
        {
            key = raw;
            return true;
        }

        var bytes = Encoding.Latin1.GetBytes(raw);
        key = Escape(bytes, maxLength);
        return true;
    }

    /// <summary>
    /// Applies the rule to text that arrived as a string (from an agent over the wire): control characters, NUL
    /// included, are escaped and an over-long key is cut. A key that already obeys the rule comes back unchanged.
    /// </summary>
    public static string Normalize(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsValid(text, maxLength))
        {
            return text;
        }

        return Escape(Encoding.UTF8.GetBytes(text), maxLength);
    }

    /// <summary>True when <paramref name="key"/> obeys the rule: 1 to <paramref name="maxLength"/> characters, no control character.</summary>
    public static bool IsValid(string key, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key.Length > maxLength)
        {
            return false;
        }

        if (!key.AsSpan().ContainsAnyExcept(PrintableAscii))
        {
            return true;
        }

        foreach (var c in key)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        // A lone surrogate is not text; the wire cannot carry one, but a caller could.
        return !HasLoneSurrogate(key);
    }

    /// <summary>Escapes and, where needed, cuts: one pass to find each unit's text, then keeps whole units up to the limit.</summary>
    private static string Escape(ReadOnlySpan<byte> bytes, int maxLength)
    {
        var units = new List<string>(bytes.Length);
        var length = 0;
        var rest = bytes;
        while (!rest.IsEmpty)
        {
            string unit;
            if (Rune.DecodeFromUtf8(rest, out var rune, out var consumed) == OperationStatus.Done)
            {
                unit = Rune.IsControl(rune) ? Hex(rest[..consumed]) : rune.ToString();
            }
            else
            {
                consumed = 1;
                unit = Hex(rest[..1]);
            }

            units.Add(unit);
            length += unit.Length;
            rest = rest[consumed..];
        }

        var text = new StringBuilder(Math.Min(length, maxLength));
        if (length <= maxLength)
        {
            foreach (var unit in units)
            {
                text.Append(unit);
            }

            return text.ToString();
        }

        var room = Math.Max(0, maxLength - CutMarker.Length);
        foreach (var unit in units)
        {
            if (text.Length + unit.Length > room)
            {
                break;
            }

            text.Append(unit);
        }

        return text.Append(CutMarker.AsSpan(0, Math.Min(CutMarker.Length, maxLength - text.Length))).ToString();
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 4);
        foreach (var b in bytes)
        {
            text.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static bool HasLoneSurrogate(string key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            if (char.IsHighSurrogate(key[i]) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(key[i]))
            {
                return true;
            }
        }

        return false;
    }
}
