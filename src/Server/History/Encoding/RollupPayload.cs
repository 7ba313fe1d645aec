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
/// A rollup bucket (one host, probe, minute or hour) as one blob, laid out like <see cref="SnapshotPayload"/>
/// with count, then sum, min, max of each value per key; then, when known, a trailer with the bucket's
/// <see cref="SnapshotTotals"/>: the snapshot count, then sum, min, max of each value's total. Readers before the
/// trailer stop after the keys, and a blob written before it has none (its totals are unknown). Statistics merge,
/// so a bucket is updated by decoding it, adding the new snapshots and encoding it again. Sums, minima and maxima
/// are unsigned varints: a bucket written when they were signed 64-bit reads the same (see <see cref="SnapshotPayload"/>).
/// </summary>
public static class RollupPayload
{
    /// <summary>The bucket's keys, without a totals trailer (as written before buckets kept snapshot totals).</summary>
    public static byte[] Encode(PackedWriter writer, Dictionary<long, KeyStats> keys, int valuesPerRow) => Encode(writer, keys, valuesPerRow, null);

    /// <summary>The bucket's keys, then <paramref name="totals"/> as a trailer when they are known and count a snapshot.</summary>
    public static byte[] Encode(PackedWriter writer, Dictionary<long, KeyStats> keys, int valuesPerRow, SnapshotTotals? totals)
    {
        SnapshotPayload.CheckWidth(valuesPerRow);
        var ids = keys.Keys.ToArray();
        Array.Sort(ids);
        writer.Reset();
        writer.Byte((byte)valuesPerRow);
        writer.Varint((ulong)ids.Length);
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
                writer.Varint(s.Mins[i]);
                writer.Varint(s.Maxes[i]);
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
        where TVisitor : struct, IRowVisitor
    {
        var position = 0;
        int valuesPerRow = payload[position++];
        SnapshotPayload.CheckWidth(valuesPerRow);
        Span<ulong> stats = stackalloc ulong[3 * RowValues.MaxCount];
        var sums = stats[..valuesPerRow];
        var mins = stats.Slice(RowValues.MaxCount, valuesPerRow);
        var maxes = stats.Slice(2 * RowValues.MaxCount, valuesPerRow);
        var count = (int)Varint.Read(payload, ref position);
        var keyId = 0L;
        for (var i = 0; i < count; i++)
        {
            keyId += (long)Varint.Read(payload, ref position);
            var n = (long)Varint.Read(payload, ref position);
            for (var v = 0; v < valuesPerRow; v++)
            {
                sums[v] = Varint.Read(payload, ref position);
                mins[v] = Varint.Read(payload, ref position);
                maxes[v] = Varint.Read(payload, ref position);
            }

            visit.Row(keyId, n, sums, mins, maxes);
        }

        if (position >= payload.Length)
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
