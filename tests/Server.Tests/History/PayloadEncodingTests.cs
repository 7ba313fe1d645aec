using Tracefleet.Server.History.Encoding;

namespace Tracefleet.Server.Tests.History;

/// <summary>
/// Snapshot and rollup blobs hold counts as unsigned varints: every 64-bit value round-trips exactly, and blobs
/// written while the store kept values as signed 64-bit (so never above long.MaxValue) read the same as before.
/// </summary>
public sealed class PayloadEncodingTests
{
    public static TheoryData<ulong> Edges() => [0, 1, 127, 128, long.MaxValue, (ulong)long.MaxValue + 1, 10_000_000_000_000_000_000, ulong.MaxValue - 1, ulong.MaxValue];

    /// <summary>
    /// A kmem snapshot as the store wrote it when values were signed: rows (key 3: 0, long.MaxValue) and
    /// (key 7: 5000000000000000000, 1), each value through <c>PackedWriter.Varint(long)</c>.
    /// </summary>
    private static readonly byte[] SignedEraSnapshot =
    [
        0x02, 0x02, 0x03, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x04, 0x80, 0x80, 0xD0, 0xA7, 0xA4, 0xB0, 0xE4, 0xB1, 0x45, 0x01,
    ];

    /// <summary>A pagefaults snapshot as the store wrote it before rows carried any number of values: (key 2: 0), (key 9: 300), (key 40000: 2^64 − 1).</summary>
    private static readonly byte[] OneValueSnapshot =
    [
        0x01, 0x03, 0x02, 0x00, 0x07, 0xAC, 0x02, 0xB7, 0xB8, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
    ];

    /// <summary>A kmem snapshot of that time: (key 2: 0, 2^40), (key 9: 300, 7), (key 40000: 2^64 − 1, 128).</summary>
    private static readonly byte[] TwoValueSnapshot =
    [
        0x02, 0x03, 0x02, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x07, 0xAC, 0x02, 0x07, 0xB7, 0xB8, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0x01, 0x80, 0x01,
    ];

    /// <summary>A pagefaults rollup of that time: key 1 once, 2^64 − 1 (sum, min, max); key 4 60 times, sum 12345, min 3, max 900.</summary>
    private static readonly byte[] OneValueRollup =
    [
        0x01, 0x02, 0x01, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x03, 0x3C, 0xB9, 0x60, 0x03, 0x84, 0x07,
    ];

    /// <summary>
    /// A kmem rollup of that time: key 1 3600 times, allocs (2^64 − 1, 1, 2^64 − 1), frees (2^50, 2, 2^49); key 4 60 times,
    /// allocs (12345, 3, 900), frees (200, 0, 150), each as (sum, min, max).
    /// </summary>
    private static readonly byte[] TwoValueRollup =
    [
        0x02, 0x02, 0x01, 0x90, 0x1C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, 0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x03, 0x3C, 0xB9, 0x60, 0x03,
        0x84, 0x07, 0xC8, 0x01, 0x00, 0x96, 0x01,
    ];

    /// <summary>A kmem rollup of that time: key 5 seen 3 times, allocs sum long.MaxValue (min 0, max long.MaxValue − 7), frees sum 6 (min 1, max 3).</summary>
    private static readonly byte[] SignedEraRollup =
    [
        0x02, 0x01, 0x05, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x06, 0x01, 0x03,
    ];

    [Theory]
    [MemberData(nameof(Edges))]
    public void SnapshotPayload_EncodeThenDecode_SameValues(ulong value)
    {
        KeyRow[] rows = [new(1, RowValues.Of(value, 0)), new(2, RowValues.Of(0, value)), new(900, RowValues.Of(value, value))];

        var decoded = SnapshotPayload.Decode(SnapshotPayload.Encode(new PackedWriter(), rows.ToArray(), 2));

        Assert.Equal(rows, decoded);
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void SnapshotPayload_ThreeValuesPerRow_EncodeThenDecodeSameValues(ulong value)
    {
        KeyRow[] rows = [new(3, RowValues.Of(value, 1, 2)), new(8, RowValues.Of(0, value, 0)), new(70_000, RowValues.Of(5, 6, value))];

        var payload = SnapshotPayload.Encode(new PackedWriter(), rows.ToArray(), 3);

        Assert.Equal(3, payload[0]);
        Assert.Equal(rows, SnapshotPayload.Decode(payload));
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void SnapshotPayload_OneValuePerRow_SecondReadAsZero(ulong value)
    {
        KeyRow[] rows = [new(4, RowValues.Of(value))];

        Assert.Equal(rows, SnapshotPayload.Decode(SnapshotPayload.Encode(new PackedWriter(), rows.ToArray(), 1)));
    }

    [Fact]
    public void SnapshotPayload_WrittenWithOneAndTwoValuesPerRow_DecodesAndEncodesTheSame()
    {
        KeyRow[] one = [new(2, RowValues.Of(0)), new(9, RowValues.Of(300)), new(40_000, RowValues.Of(ulong.MaxValue))];
        KeyRow[] two = [new(2, RowValues.Of(0, 1UL << 40)), new(9, RowValues.Of(300, 7)), new(40_000, RowValues.Of(ulong.MaxValue, 128))];

        Assert.Equal(one, SnapshotPayload.Decode(OneValueSnapshot));
        Assert.Equal(two, SnapshotPayload.Decode(TwoValueSnapshot));
        Assert.Equal(OneValueSnapshot, SnapshotPayload.Encode(new PackedWriter(), one, 1));
        Assert.Equal(TwoValueSnapshot, SnapshotPayload.Encode(new PackedWriter(), two, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(RowValues.MaxCount + 1)]
    public void SnapshotPayload_WidthNoReleaseWrites_RefusedAsInvalidData(byte width)
    {
        Assert.Throws<InvalidDataException>(() => SnapshotPayload.Decode([width, 0x01, 0x01, 0x05]));
        Assert.Throws<InvalidDataException>(() => RollupStats.Of([width, 0x00]));
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void RollupPayload_EncodeThenDecode_SameStatistics(ulong value)
    {
        var keys = new Dictionary<long, KeyStats> { [11] = Stats(3, (value, 0, value), (value, value, value)), [12] = default };

        var decoded = RollupStats.Of(RollupPayload.Encode(new PackedWriter(), keys, 2));

        Assert.Equal(keys, decoded);
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void RollupPayload_ThreeValuesPerRow_EncodeThenDecodeSameStatistics(ulong value)
    {
        var keys = new Dictionary<long, KeyStats>
        {
            [11] = Stats(3, (value, 0, value), (6, 1, 3), (value, value, value)),
            [400] = Stats(1, (1, 1, 1), (0, 0, 0), (value, value, value)),
        };

        var decoded = RollupStats.Of(RollupPayload.Encode(new PackedWriter(), keys, 3));

        Assert.Equal(keys, decoded);
    }

    [Fact]
    public void RollupPayload_ThreeValueSnapshotsMerged_CountSumMinMaxOfEachValue()
    {
        var keys = new Dictionary<long, KeyStats>();
        var merge = new RollupPayload.MergeInto(keys);
        SnapshotPayload.Decode(SnapshotPayload.Encode(new PackedWriter(), [new KeyRow(5, RowValues.Of(10, 0, 7))], 3), ref merge);
        SnapshotPayload.Decode(SnapshotPayload.Encode(new PackedWriter(), [new KeyRow(5, RowValues.Of(2, 4, 9))], 3), ref merge);

        var stats = RollupStats.Of(RollupPayload.Encode(new PackedWriter(), keys, 3))[5];

        Assert.Equal(2, stats.Count);
        Assert.Equal((RowValues.Of(12, 4, 16), RowValues.Of(2, 0, 7), RowValues.Of(10, 4, 9)), (stats.Sums, stats.Mins, stats.Maxes));
    }

    [Fact]
    public void RollupPayload_WrittenWithOneAndTwoValuesPerRow_DecodesAndEncodesTheSame()
    {
        var one = new Dictionary<long, KeyStats>
        {
            [1] = Stats(1, (ulong.MaxValue, ulong.MaxValue, ulong.MaxValue)),
            [4] = Stats(60, (12_345, 3, 900)),
        };
        var two = new Dictionary<long, KeyStats>
        {
            [1] = Stats(3600, (ulong.MaxValue, 1, ulong.MaxValue), (1UL << 50, 2, 1UL << 49)),
            [4] = Stats(60, (12_345, 3, 900), (200, 0, 150)),
        };

        Assert.Equal(one, RollupStats.Of(OneValueRollup));
        Assert.Equal(two, RollupStats.Of(TwoValueRollup));
        // Merged again, they are written in the sectioned layout, with the same statistics.
        Assert.Equal(one, RollupStats.Of(RollupPayload.Encode(new PackedWriter(), RollupStats.Of(OneValueRollup), 1)));
        Assert.Equal(two, RollupStats.Of(RollupPayload.Encode(new PackedWriter(), RollupStats.Of(TwoValueRollup), 2)));
    }

    [Fact]
    public void RollupPayload_Sectioned_ExtremesBeforeKeysAndSums()
    {
        var keys = new Dictionary<long, KeyStats>
        {
            [4] = Stats(60, (12_345, 3, 900), (200, 0, 150)),
            [1] = Stats(2, (5, 1, 4), (1, 0, 1)),
        };

        byte[] expected =
        [
            0x82, 0x02, 0x0A, // two values a row, sectioned; two keys; 10 bytes of extremes
            0x01, 0x04, 0x00, 0x01, 0x03, 0x84, 0x07, 0x00, 0x96, 0x01, // key 1: min, max of each value; key 4: the same
            0x01, 0x02, 0x05, 0x01, 0x03, 0x3C, 0xB9, 0x60, 0xC8, 0x01, // key 1 (+1): count, sums; key 4 (+3): count, sums
        ];
        Assert.Equal(expected, RollupPayload.Encode(new PackedWriter(), keys, 2));
        Assert.Equal(keys, RollupStats.Of(expected));
    }

    [Fact]
    public void RollupPayload_SumsOnly_CountsAndSumsOfEitherLayoutWithoutExtremes()
    {
        var keys = new Dictionary<long, KeyStats>
        {
            [3] = Stats(3600, (ulong.MaxValue, 1, ulong.MaxValue), (1UL << 50, 2, 1UL << 49)),
            [9] = Stats(60, (12_345, 3, 900), (200, 0, 150)),
        };
        var totals = new SnapshotTotals();
        totals.Add(60, [1, 2], [0, 0], [1, 2]);

        foreach (var blob in new[] { RollupPayload.Encode(new PackedWriter(), keys, 2, totals), TwoValueRollup, SignedEraRollup })
        {
            var sums = new SumsOf();
            RollupPayload.DecodeSums(blob, ref sums);
            var all = RollupStats.Of(blob);
            Assert.Equal(all.Select(k => (k.Key, k.Value.Count, k.Value.Sums)), sums.Rows);
            Assert.Equal(0, sums.Extremes);
        }
    }

    [Fact]
    public void RollupPayload_ExtremesLongerThanTheBlob_InvalidData()
    {
        var blob = RollupPayload.Encode(new PackedWriter(), new Dictionary<long, KeyStats> { [1] = Stats(2, (5, 1, 4)) }, 1);
        blob[2] = 0x7F;

        Assert.Throws<InvalidDataException>(() => RollupStats.Of(blob));
    }

    private struct SumsOf : IRowVisitor
    {
        public SumsOf() => Rows = [];

        public List<(long Key, long Count, RowValues Sums)> Rows { get; }

        public int Extremes { get; private set; }

        public void Row(long keyId, long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes)
        {
            Rows.Add((keyId, count, RowValues.Of(sums)));
            Extremes += mins.Length + maxes.Length;
        }

        public void Totals(long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes) => Extremes++;
    }

    [Fact]
    public void RollupPayload_SnapshotsMergedWithTotals_KeysAsWithoutAndTotalsPerSnapshot()
    {
        var (keys, totals) = (new Dictionary<long, KeyStats>(), new SnapshotTotals());
        var merge = new RollupPayload.MergeInto(keys, totals);
        SnapshotPayload.Decode(SnapshotPayload.Encode(new PackedWriter(), [new KeyRow(5, RowValues.Of(10, 0)), new KeyRow(6, RowValues.Of(ulong.MaxValue, 3))], 2), ref merge);
        SnapshotPayload.Decode(SnapshotPayload.Encode(new PackedWriter(), [new KeyRow(5, RowValues.Of(2, 4))], 2), ref merge);
        SnapshotPayload.Decode(SnapshotPayload.Encode(new PackedWriter(), [], 2), ref merge);

        var blob = RollupPayload.Encode(new PackedWriter(), keys, 2, totals);
        var (readKeys, readTotals) = (new Dictionary<long, KeyStats>(), new SnapshotTotals());
        var read = new RollupPayload.MergeInto(readKeys, readTotals);

        Assert.True(RollupPayload.Decode(blob, ref read));
        Assert.Equal(keys, readKeys);
        Assert.Equal(RollupStats.Of(RollupPayload.Encode(new PackedWriter(), keys, 2)), RollupStats.Of(blob));
        // Three snapshots: the first's total saturates, the empty one totals 0.
        Assert.Equal(
            (3L, RowValues.Of(ulong.MaxValue, 7), RowValues.Of(0, 0), RowValues.Of(ulong.MaxValue, 4)),
            (readTotals.Stats.Count, readTotals.Stats.Sums, readTotals.Stats.Mins, readTotals.Stats.Maxes));
    }

    [Fact]
    public void RollupPayload_WrittenBeforeTotals_DecodeSaysSoAndMergedTotalsStayUnknown()
    {
        var (keys, totals) = (new Dictionary<long, KeyStats>(), new SnapshotTotals());
        var merge = new RollupPayload.MergeInto(keys, totals);
        SnapshotPayload.Decode(SnapshotPayload.Encode(new PackedWriter(), [new KeyRow(1, RowValues.Of(9, 9))], 2), ref merge);

        Assert.False(RollupPayload.Decode(TwoValueRollup, ref merge));
        totals.MarkUnknown();

        Assert.Equal(RollupPayload.Encode(new PackedWriter(), RollupStats.Of(TwoValueRollup), 2), RollupPayload.Encode(new PackedWriter(), RollupStats.Of(TwoValueRollup), 2, totals));
        Assert.Equal(RollupPayload.Encode(new PackedWriter(), keys, 2), RollupPayload.Encode(new PackedWriter(), keys, 2, totals));
    }

    [Fact]
    public void SnapshotPayload_WrittenWhenValuesWereSigned_DecodesToTheSameNumbers()
    {
        Assert.Equal([new KeyRow(3, RowValues.Of(0, long.MaxValue)), new KeyRow(7, RowValues.Of(5_000_000_000_000_000_000, 1))], SnapshotPayload.Decode(SignedEraSnapshot));
    }

    [Fact]
    public void SnapshotPayload_ValuesUpToLongMax_EncodedWithTheSignedEraBytes()
    {
        KeyRow[] rows = [new(7, RowValues.Of(5_000_000_000_000_000_000, 1)), new(3, RowValues.Of(0, long.MaxValue))];

        Assert.Equal(SignedEraSnapshot, SnapshotPayload.Encode(new PackedWriter(), rows, 2));
    }

    [Fact]
    public void RollupPayload_WrittenWhenValuesWereSigned_DecodesAndEncodesTheSame()
    {
        var decoded = RollupStats.Of(SignedEraRollup);

        var stats = Assert.Single(decoded);
        Assert.Equal(5, stats.Key);
        Assert.Equal(
            (3L, (ulong)long.MaxValue, 0UL, (ulong)long.MaxValue - 7, 6UL, 1UL, 3UL),
            (stats.Value.Count, stats.Value.Sums[0], stats.Value.Mins[0], stats.Value.Maxes[0], stats.Value.Sums[1], stats.Value.Mins[1], stats.Value.Maxes[1]));
        Assert.Equal(decoded, RollupStats.Of(RollupPayload.Encode(new PackedWriter(), decoded, 2)));
    }

    [Fact]
    public void KeyStatsAdd_SumsPast64Bits_SaturateWhileMinAndMaxStayExact()
    {
        var stats = default(KeyStats);
        stats.Add(1, [10_000_000_000_000_000_000, 5, 1], [10_000_000_000_000_000_000, 5, 1], [10_000_000_000_000_000_000, 5, 1]);
        stats.Add(2, [9_000_000_000_000_000_000, ulong.MaxValue, 3], [4_000_000_000_000_000_000, 1, 1], [5_000_000_000_000_000_000, ulong.MaxValue, 2]);

        Assert.Equal(3, stats.Count);
        Assert.Equal(RowValues.Of(ulong.MaxValue, ulong.MaxValue, 4), stats.Sums);
        Assert.Equal(RowValues.Of(4_000_000_000_000_000_000, 1, 1), stats.Mins);
        Assert.Equal(RowValues.Of(10_000_000_000_000_000_000, ulong.MaxValue, 2), stats.Maxes);
    }

    /// <summary>Statistics of <paramref name="count"/> samples with each value's (sum, min, max).</summary>
    private static KeyStats Stats(long count, params (ulong Sum, ulong Min, ulong Max)[] values)
    {
        var stats = default(KeyStats);
        stats.Add(count, [.. values.Select(v => v.Sum)], [.. values.Select(v => v.Min)], [.. values.Select(v => v.Max)]);
        return stats;
    }
}
