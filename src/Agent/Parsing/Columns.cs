namespace Tracefleet.Agent.Parsing;

/// <summary>Reads printf-style columns (<c>%8u</c> then one space) from a line, left to right.</summary>
internal static class Columns
{
    /// <summary>
    /// Reads a right-aligned unsigned count: padding spaces, then digits. The width is a minimum,
    /// so counts past eight digits simply push the key to the right.
    /// </summary>
    public static bool TryReadCount(ReadOnlySpan<char> line, ref int pos, out ulong value)
    {
        while (pos < line.Length && line[pos] == ' ')
        {
            pos++;
        }

        var start = pos;
        value = 0;
        while (pos < line.Length && char.IsAsciiDigit(line[pos]))
        {
            var digit = (ulong)(line[pos] - '0');
            if (value > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
            pos++;
        }

        return pos > start;
    }

    /// <summary>
    /// Reads <paramref name="count"/> counts (at most <see cref="RowValues.MaxCount"/>), one separator between each;
    /// the position is left after the last.
    /// </summary>
    public static bool TryReadCounts(ReadOnlySpan<char> line, ref int pos, int count, out RowValues values)
    {
        Span<ulong> read = stackalloc ulong[RowValues.MaxCount];
        values = default;
        for (var i = 0; i < count; i++)
        {
            if ((i > 0 && !TrySkipSeparator(line, ref pos)) || !TryReadCount(line, ref pos, out read[i]))
            {
                return false;
            }
        }

        values = RowValues.Create(read[..count]);
        return true;
    }

    /// <summary>Consumes the single space printf puts between columns; the key starts right after it.</summary>
    public static bool TrySkipSeparator(ReadOnlySpan<char> line, ref int pos)
    {
        if (pos < line.Length && line[pos] == ' ')
        {
            pos++;
            return true;
        }

        return false;
    }

    public static ulong SaturatingAdd(ulong a, ulong b) => ulong.MaxValue - a < b ? ulong.MaxValue : a + b;
}
