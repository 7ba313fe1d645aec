using Tracefleet.Contract;

namespace Tracefleet.Server.History.Encoding;

/// <summary>One key's values in one snapshot, in its probe's column order, unsigned as on the wire.</summary>
public readonly record struct KeyRow(long KeyId, RowValues Values);

/// <summary>
/// A snapshot's rows as one blob: a byte with the values per row (the probe's <see cref="Contract.Probes.ProbeDefinition.ValueCount"/>,
/// 1 to <see cref="RowValues.MaxCount"/>), the row count, then rows sorted by key id, each as varints (key id as the
/// difference to the previous row's, then its values in column order).
/// Values are unsigned 64-bit; those up to <see cref="long.MaxValue"/> have the bytes they had when the store
/// kept values as signed 64-bit, so payloads written then read the same now.
/// Keys are interned in the Keys table once; a row costs 2–5 bytes instead of a ~30-byte SQLite row
/// with its primary-key index entry.
/// </summary>
public static class SnapshotPayload
{
    public static byte[] Encode(PackedWriter writer, Span<KeyRow> rows, int valuesPerRow)
    {
        CheckWidth(valuesPerRow);
        rows.Sort(static (a, b) => a.KeyId.CompareTo(b.KeyId));
        writer.Reset();
        writer.Byte((byte)valuesPerRow);
        writer.Varint((ulong)rows.Length);
        var previous = 0L;
        foreach (ref readonly var row in rows)
        {
            writer.Varint((ulong)(row.KeyId - previous));
            previous = row.KeyId;
            var values = row.Values.AsSpan()[..valuesPerRow];
            foreach (var value in values)
            {
                writer.Varint(value);
            }
        }

        return writer.ToArray();
    }

    /// <summary>Calls <paramref name="visit"/> for each row, in key id order; throws <see cref="InvalidDataException"/> for a blob no release wrote.</summary>
    public static void Decode<TVisitor>(ReadOnlySpan<byte> payload, ref TVisitor visit)
        where TVisitor : struct, IRowVisitor
    {
        // Empty: the column's default, for a snapshot stored before rows were packed into it (no release wrote one).
        if (payload.IsEmpty)
        {
            return;
        }

        var position = 0;
        int valuesPerRow = payload[position++];
        CheckWidth(valuesPerRow);
        Span<ulong> buffer = stackalloc ulong[2 * RowValues.MaxCount];
        var values = buffer[..valuesPerRow];
        var totals = buffer.Slice(RowValues.MaxCount, valuesPerRow);
        totals.Clear();
        var count = (int)Varint.Read(payload, ref position);
        var keyId = 0L;
        for (var i = 0; i < count; i++)
        {
            keyId += (long)Varint.Read(payload, ref position);
            for (var v = 0; v < values.Length; v++)
            {
                values[v] = Varint.Read(payload, ref position);
                totals[v] = Counts.Add(totals[v], values[v]);
            }

            visit.Row(keyId, 1, values, values, values);
        }

        visit.Totals(1, totals, totals, totals);
    }

    public static List<KeyRow> Decode(ReadOnlySpan<byte> payload)
    {
        var collect = new CollectRows([]);
        Decode(payload, ref collect);
        return collect.Rows;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> unless 1 to <see cref="RowValues.MaxCount"/> values per row.</summary>
    internal static void CheckWidth(int valuesPerRow)
    {
        if (valuesPerRow is < 1 or > RowValues.MaxCount)
        {
            throw new InvalidDataException($"{valuesPerRow} values per row; a row holds 1 to {RowValues.MaxCount}");
        }
    }

    private readonly struct CollectRows(List<KeyRow> rows) : IRowVisitor
    {
        public List<KeyRow> Rows => rows;

        public void Row(long keyId, long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes) =>
            rows.Add(new KeyRow(keyId, RowValues.Of(sums)));

        public void Totals(long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes)
        {
        }
    }
}

/// <summary>
/// Receives decoded rows; a raw row is a rollup of one sample (count 1, sum = min = max, the same span), so one
/// visitor serves every tier. Each span holds the payload's values per row, in column order, and is valid during
/// the call only. A struct type argument keeps the per-row call direct (no delegate).
/// Sums are saturated at <see cref="Tracefleet.Contract.Counts.Saturated"/>.
/// </summary>
public interface IRowVisitor
{
    void Row(long keyId, long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes);

    /// <summary>
    /// After the rows, the statistics of the snapshots' totals (each snapshot's values summed over all its keys, saturated):
    /// a raw snapshot is one (count 1, its totals as sum, min and max), a rollup bucket gives its <see cref="SnapshotTotals"/>
    /// when it has them and skips the call when not. Spans as in <see cref="Row"/>.
    /// </summary>
    void Totals(long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes);
}
