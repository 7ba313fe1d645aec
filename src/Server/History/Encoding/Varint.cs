namespace Tracefleet.Server.History.Encoding;

/// <summary>
/// LEB128 unsigned varints: per-second counts are mostly small, so most take one or two bytes
/// instead of SQLite's 1–9 byte integers plus a record header per value.
/// </summary>
public static class Varint
{
    public const int MaxBytes = 10;

    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    public static ulong Read(ReadOnlySpan<byte> source, ref int position)
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            var b = source[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }

            shift += 7;
            if (shift > 63)
            {
                throw new InvalidDataException("varint longer than 64 bits");
            }
        }
    }
}
