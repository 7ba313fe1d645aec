using Tracefleet.Contract;

namespace Tracefleet.Server.History.Encoding;

/// <summary>
/// A key's statistics over a rollup bucket: how many snapshots had it, and sum, min, max of each value.
/// Sums saturate at <see cref="Counts.Saturated"/>, as every sum of counts does, so a bucket's sum equals the raw sum.
/// </summary>
public struct KeyStats
{
    public long Count { get; set; }
    public ulong SumFirst { get; set; }
    public ulong MinFirst { get; set; }
    public ulong MaxFirst { get; set; }
    public ulong SumSecond { get; set; }
    public ulong MinSecond { get; set; }
    public ulong MaxSecond { get; set; }

    public void Add(long count, ulong sumFirst, ulong minFirst, ulong maxFirst, ulong sumSecond, ulong minSecond, ulong maxSecond)
    {
        if (Count == 0)
        {
            (MinFirst, MaxFirst, MinSecond, MaxSecond) = (minFirst, maxFirst, minSecond, maxSecond);
        }
        else
        {
            MinFirst = Math.Min(MinFirst, minFirst);
            MaxFirst = Math.Max(MaxFirst, maxFirst);
            MinSecond = Math.Min(MinSecond, minSecond);
            MaxSecond = Math.Max(MaxSecond, maxSecond);
        }

        Count += count;
        SumFirst = Counts.Add(SumFirst, sumFirst);
        SumSecond = Counts.Add(SumSecond, sumSecond);
    }
}

/// <summary>
/// A rollup bucket (one host, probe, minute or hour) as one blob, laid out like <see cref="SnapshotPayload"/>
/// with count, then sum, min, max of each value per key. Statistics merge, so a bucket is updated by
/// decoding it, adding the new snapshots and encoding it again. Sums, minima and maxima are unsigned varints:
/// a bucket written when they were signed 64-bit reads the same (see <see cref="SnapshotPayload"/>).
/// </summary>
public static class RollupPayload
{
    public static byte[] Encode(PackedWriter writer, Dictionary<long, KeyStats> keys, int valuesPerRow)
    {
        var ids = keys.Keys.ToArray();
        Array.Sort(ids);
        writer.Reset();
        writer.Byte((byte)valuesPerRow);
        writer.Varint((ulong)ids.Length);
        var previous = 0L;
        foreach (var id in ids)
        {
            var s = keys[id];
            writer.Varint((ulong)(id - previous));
            previous = id;
            writer.Varint(s.Count);
            writer.Varint(s.SumFirst);
            writer.Varint(s.MinFirst);
            writer.Varint(s.MaxFirst);
            if (valuesPerRow > 1)
            {
                writer.Varint(s.SumSecond);
                writer.Varint(s.MinSecond);
                writer.Varint(s.MaxSecond);
            }
        }

        return writer.ToArray();
    }

    public static void Decode<TVisitor>(ReadOnlySpan<byte> payload, ref TVisitor visit)
        where TVisitor : struct, IRowVisitor
    {
        var position = 0;
        var valuesPerRow = payload[position++];
        var count = (int)Varint.Read(payload, ref position);
        var keyId = 0L;
        for (var i = 0; i < count; i++)
        {
            keyId += (long)Varint.Read(payload, ref position);
            var n = (long)Varint.Read(payload, ref position);
            var sum = Varint.Read(payload, ref position);
            var min = Varint.Read(payload, ref position);
            var max = Varint.Read(payload, ref position);
            if (valuesPerRow > 1)
            {
                visit.Row(keyId, n, sum, min, max, Varint.Read(payload, ref position), Varint.Read(payload, ref position), Varint.Read(payload, ref position));
            }
            else
            {
                visit.Row(keyId, n, sum, min, max, 0, 0, 0);
            }
        }
    }

    /// <summary>Adds decoded rows (raw or rollup) into per-key statistics.</summary>
    public readonly struct MergeInto(Dictionary<long, KeyStats> keys) : IRowVisitor
    {
        public void Row(long keyId, long count, ulong sumFirst, ulong minFirst, ulong maxFirst, ulong sumSecond, ulong minSecond, ulong maxSecond)
        {
            ref var stats = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(keys, keyId, out _);
            stats.Add(count, sumFirst, minFirst, maxFirst, sumSecond, minSecond, maxSecond);
        }
    }
}
