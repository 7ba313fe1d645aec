namespace Tracefleet.Server.History.Encoding;

/// <summary>One key's values in one snapshot (pagefaults: <see cref="First"/> only; kmem: allocs, frees), unsigned as on the wire.</summary>
public readonly record struct KeyValues(long KeyId, ulong First, ulong Second);

/// <summary>
/// A snapshot's rows as one blob: a byte with the values per row (1 or 2), the row count, then rows
/// sorted by key id, each as varints (key id as the difference to the previous row's, then the values).
/// Values are unsigned 64-bit; those up to <see cref="long.MaxValue"/> have the bytes they had when the store
/// kept values as signed 64-bit, so payloads written then read the same now.
/// Keys are interned in the Keys table once; a row costs 2–5 bytes instead of a ~30-byte SQLite row
/// with its primary-key index entry.
/// </summary>
public static class SnapshotPayload
{
    public static byte[] Encode(PackedWriter writer, Span<KeyValues> rows, int valuesPerRow)
    {
        rows.Sort(static (a, b) => a.KeyId.CompareTo(b.KeyId));
        writer.Reset();
        writer.Byte((byte)valuesPerRow);
        writer.Varint((ulong)rows.Length);
        var previous = 0L;
        foreach (var row in rows)
        {
            writer.Varint((ulong)(row.KeyId - previous));
            previous = row.KeyId;
            writer.Varint(row.First);
            if (valuesPerRow > 1)
            {
                writer.Varint(row.Second);
            }
        }

        return writer.ToArray();
    }

    /// <summary>Calls <paramref name="visit"/> for each row, in key id order.</summary>
    public static void Decode<TVisitor>(ReadOnlySpan<byte> payload, ref TVisitor visit)
        where TVisitor : struct, IRowVisitor
    {
        // Empty: the column's default, for a snapshot stored before rows were packed into it (no release wrote one).
        if (payload.IsEmpty)
        {
            return;
        }

        var position = 0;
        var valuesPerRow = payload[position++];
        var count = (int)Varint.Read(payload, ref position);
        var keyId = 0L;
        for (var i = 0; i < count; i++)
        {
            keyId += (long)Varint.Read(payload, ref position);
            var first = Varint.Read(payload, ref position);
            var second = valuesPerRow > 1 ? Varint.Read(payload, ref position) : 0UL;
            visit.Row(keyId, 1, first, first, first, second, second, second);
        }
    }

    public static List<KeyValues> Decode(ReadOnlySpan<byte> payload)
    {
        var collect = new CollectRows([]);
        Decode(payload, ref collect);
        return collect.Rows;
    }

    private readonly struct CollectRows(List<KeyValues> rows) : IRowVisitor
    {
        public List<KeyValues> Rows => rows;

        public void Row(long keyId, long count, ulong sumFirst, ulong minFirst, ulong maxFirst, ulong sumSecond, ulong minSecond, ulong maxSecond) =>
            rows.Add(new KeyValues(keyId, sumFirst, sumSecond));
    }
}

/// <summary>
/// Receives decoded rows; a raw row is a rollup of one sample (count 1, sum = min = max), so one
/// visitor serves every tier. A struct type argument keeps the per-row call direct (no delegate).
/// Sums are saturated at <see cref="Tracefleet.Contract.Counts.Saturated"/>.
/// </summary>
public interface IRowVisitor
{
    void Row(long keyId, long count, ulong sumFirst, ulong minFirst, ulong maxFirst, ulong sumSecond, ulong minSecond, ulong maxSecond);
}
