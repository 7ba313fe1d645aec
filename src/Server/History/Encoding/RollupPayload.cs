using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Tracefleet.Contract;

namespace Tracefleet.Server.History.Encoding;

/// <summary>
/// A key's statistics over a rollup bucket: how many snapshots had it, and sum, min, max of each value, in its probe's
/// column order (zero past its columns). Sums saturate at <see cref="Counts.Saturated"/>, as every sum of counts does,
/// so a bucket's sum equals the raw sum.
/// </summary>
public struct KeyStats
{
    private RowValues _sums;
    private RowValues _mins;
    private RowValues _maxes;

    public long Count { get; private set; }

    [UnscopedRef]
    public readonly ref readonly RowValues Sums => ref _sums;

    [UnscopedRef]
    public readonly ref readonly RowValues Mins => ref _mins;

    [UnscopedRef]
    public readonly ref readonly RowValues Maxes => ref _maxes;

    /// <summary>Folds in <paramref name="count"/> samples whose values have these sums, minima and maxima (spans of equal length).</summary>
    public void Add(long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes)
    {
        var first = Count == 0;
        for (var i = 0; i < sums.Length; i++)
        {
            _mins[i] = first ? mins[i] : Math.Min(_mins[i], mins[i]);
            _maxes[i] = first ? maxes[i] : Math.Max(_maxes[i], maxes[i]);
        }

        Count += count;
        _sums.Add(sums);
    }
}

/// <summary>
/// A rollup bucket (one host, probe, minute, hour or day) as one blob. The layout written now puts what a top needs apart
/// from what a chart's peaks and lows need, so a top reads only the first (<see cref="DecodeSums"/>):
/// <code>
/// byte        0x80 | values per row
/// varint      keys
/// varint      bytes of the extremes that follow
/// extremes    per key, in key id order: min and max of each value
/// keys        per key: key id (difference to the previous), count, sum of each value
/// [trailer]   when known: the bucket's <see cref="SnapshotTotals"/>: snapshot count, then sum, min, max of each value's total
/// </code>
/// Blobs written before (first byte the width alone) hold per key: key id difference, count, then sum, min, max of each
/// value, and the same trailer; they are read as they are and written in the new layout when merged again. A blob with no
/// trailer was written before buckets kept snapshot totals (they are unknown). Statistics merge, so a bucket is updated by
/// decoding it, adding the new snapshots and encoding it again. Sums, minima and maxima are unsigned varints: a bucket
/// written when they were signed 64-bit reads the same (see <see cref="SnapshotPayload"/>).
/// </summary>
public static class RollupPayload
{
    /// <summary>The first byte's flag for the layout with extremes apart.</summary>
    private const byte Sectioned = 0x80;

    /// <summary>The bucket's keys, without a totals trailer (as written before buckets kept snapshot totals).</summary>
    public static byte[] Encode(PackedWriter writer, Dictionary<long, KeyStats> keys, int valuesPerRow) => Encode(writer, keys, valuesPerRow, null);

    /// <summary>The bucket's keys, then <paramref name="totals"/> as a trailer when they are known and count a snapshot.</summary>
    public static byte[] Encode(PackedWriter writer, Dictionary<long, KeyStats> keys, int valuesPerRow, SnapshotTotals? totals)
    {
        SnapshotPayload.CheckWidth(valuesPerRow);
        var ids = keys.Keys.ToArray();
        Array.Sort(ids);
        var extremes = writer.Side;
        extremes.Reset();
        foreach (var id in ids)
        {
            ref readonly var s = ref CollectionsMarshal.GetValueRefOrNullRef(keys, id);
            for (var i = 0; i < valuesPerRow; i++)
            {
                extremes.Varint(s.Mins[i]);
                extremes.Varint(s.Maxes[i]);
            }
        }

        writer.Reset();
        writer.Byte((byte)(Sectioned | valuesPerRow));
        writer.Varint((ulong)ids.Length);
        writer.Varint((ulong)extremes.Written.Length);
        writer.Bytes(extremes.Written);
        var previous = 0L;
        foreach (var id in ids)
        {
            ref readonly var s = ref CollectionsMarshal.GetValueRefOrNullRef(keys, id);
            writer.Varint((ulong)(id - previous));
            previous = id;
            writer.Varint(s.Count);
            for (var i = 0; i < valuesPerRow; i++)
            {
                writer.Varint(s.Sums[i]);
            }
        }

        if (totals is { Known: true, Stats.Count: > 0 })
        {
            writer.Varint((ulong)totals.Stats.Count);
            for (var i = 0; i < valuesPerRow; i++)
            {
                writer.Varint(totals.Stats.Sums[i]);
                writer.Varint(totals.Stats.Mins[i]);
                writer.Varint(totals.Stats.Maxes[i]);
            }
        }

        return writer.ToArray();
    }

    /// <summary>
    /// Calls <paramref name="visit"/> for each key, in key id order, then with the snapshot totals when the blob has
    /// them; returns false when it has none (written before buckets kept them). Throws <see cref="InvalidDataException"/>
    /// for a blob no release wrote.
    /// </summary>
    public static bool Decode<TVisitor>(ReadOnlySpan<byte> payload, ref TVisitor visit)
        where TVisitor : struct, IRowVisitor => Read(payload, ref visit, sumsOnly: false);

    /// <summary>
    /// Calls <paramref name="visit"/> for each key, in key id order, with its count and sums only (minima and maxima empty);
    /// neither the extremes nor the snapshot totals are decoded. Throws as <see cref="Decode"/>.
    /// </summary>
    public static void DecodeSums<TVisitor>(ReadOnlySpan<byte> payload, ref TVisitor visit)
        where TVisitor : struct, IRowVisitor => Read(payload, ref visit, sumsOnly: true);

    private static bool Read<TVisitor>(ReadOnlySpan<byte> payload, ref TVisitor visit, bool sumsOnly)
        where TVisitor : struct, IRowVisitor
    {
        var position = 0;
        var first = payload[position++];
        var sectioned = (first & Sectioned) != 0;
        int valuesPerRow = first & ~Sectioned;
        SnapshotPayload.CheckWidth(valuesPerRow);
        Span<ulong> stats = stackalloc ulong[3 * RowValues.MaxCount];
        var sums = stats[..valuesPerRow];
        var mins = stats.Slice(RowValues.MaxCount, sumsOnly ? 0 : valuesPerRow);
        var maxes = stats.Slice(2 * RowValues.MaxCount, sumsOnly ? 0 : valuesPerRow);
        var count = (int)Varint.Read(payload, ref position);
        // The sectioned layout's extremes, read in step with the keys after them (or skipped).
        var extremes = 0;
        if (sectioned)
        {
            var length = (int)Varint.Read(payload, ref position);
            if (length < 0 || length > payload.Length - position)
            {
                throw new InvalidDataException($"A rollup blob's extremes take {length} bytes of the {payload.Length - position} left.");
            }

            extremes = position;
            position += length;
        }

        // Where each value's min and max are: in the extremes section, or right after its sum (the interleaved layout).
        ref var at = ref sectioned ? ref extremes : ref position;
        var skipExtremes = sumsOnly && sectioned;
        var keyId = 0L;
        for (var i = 0; i < count; i++)
        {
            keyId += (long)Varint.Read(payload, ref position);
            var n = (long)Varint.Read(payload, ref position);
            for (var v = 0; v < valuesPerRow; v++)
            {
                sums[v] = Varint.Read(payload, ref position);
                if (skipExtremes)
                {
                    continue;
                }

                var min = Varint.Read(payload, ref at);
                var max = Varint.Read(payload, ref at);
                if (!sumsOnly)
                {
                    (mins[v], maxes[v]) = (min, max);
                }
            }

            visit.Row(keyId, n, sums, mins, maxes);
        }

        if (sumsOnly || position >= payload.Length)
        {
            return false;
        }

        var snapshots = (long)Varint.Read(payload, ref position);
        for (var v = 0; v < valuesPerRow; v++)
        {
            sums[v] = Varint.Read(payload, ref position);
            mins[v] = Varint.Read(payload, ref position);
            maxes[v] = Varint.Read(payload, ref position);
        }

        visit.Totals(snapshots, sums, mins, maxes);
        return true;
    }

    /// <summary>Adds decoded rows (raw or rollup) into per-key statistics, and their snapshot totals into <paramref name="totals"/> when given.</summary>
    public readonly struct MergeInto(Dictionary<long, KeyStats> keys, SnapshotTotals? totals = null) : IRowVisitor
    {
        public void Totals(long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes) => totals?.Add(count, sums, mins, maxes);

        public void Row(long keyId, long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes)
        {
            ref var stats = ref CollectionsMarshal.GetValueRefOrAddDefault(keys, keyId, out _);
            stats.Add(count, sums, mins, maxes);
        }
    }
}
