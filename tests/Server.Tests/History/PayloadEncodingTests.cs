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

    /// <summary>A kmem rollup of that time: key 5 seen 3 times, allocs sum long.MaxValue (min 0, max long.MaxValue − 7), frees sum 6 (min 1, max 3).</summary>
    private static readonly byte[] SignedEraRollup =
    [
        0x02, 0x01, 0x05, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x06, 0x01, 0x03,
    ];

    [Theory]
    [MemberData(nameof(Edges))]
    public void SnapshotPayload_EncodeThenDecode_SameValues(ulong value)
    {
        KeyValues[] rows = [new(1, value, 0), new(2, 0, value), new(900, value, value)];

        var decoded = SnapshotPayload.Decode(SnapshotPayload.Encode(new PackedWriter(), rows.ToArray(), 2));

        Assert.Equal(rows, decoded);
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void SnapshotPayload_OneValuePerRow_SecondReadAsZero(ulong value)
    {
        KeyValues[] rows = [new(4, value, 0)];

        Assert.Equal(rows, SnapshotPayload.Decode(SnapshotPayload.Encode(new PackedWriter(), rows.ToArray(), 1)));
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void RollupPayload_EncodeThenDecode_SameStatistics(ulong value)
    {
        var stats = new KeyStats { Count = 3, SumFirst = value, MinFirst = 0, MaxFirst = value, SumSecond = value, MinSecond = value, MaxSecond = value };
        var keys = new Dictionary<long, KeyStats> { [11] = stats, [12] = default };

        var decoded = RollupStats.Of(RollupPayload.Encode(new PackedWriter(), keys, 2));

        Assert.Equal(keys, decoded);
    }

    [Fact]
    public void SnapshotPayload_WrittenWhenValuesWereSigned_DecodesToTheSameNumbers()
    {
        Assert.Equal([new KeyValues(3, 0, long.MaxValue), new KeyValues(7, 5_000_000_000_000_000_000, 1)], SnapshotPayload.Decode(SignedEraSnapshot));
    }

    [Fact]
    public void SnapshotPayload_ValuesUpToLongMax_EncodedWithTheSignedEraBytes()
    {
        KeyValues[] rows = [new(7, 5_000_000_000_000_000_000, 1), new(3, 0, long.MaxValue)];

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
            (stats.Value.Count, stats.Value.SumFirst, stats.Value.MinFirst, stats.Value.MaxFirst, stats.Value.SumSecond, stats.Value.MinSecond, stats.Value.MaxSecond));
        Assert.Equal(SignedEraRollup, RollupPayload.Encode(new PackedWriter(), decoded, 2));
    }

    [Fact]
    public void KeyStatsAdd_SumsPast64Bits_SaturateWhileMinAndMaxStayExact()
    {
        var stats = default(KeyStats);
        stats.Add(1, 10_000_000_000_000_000_000, 10_000_000_000_000_000_000, 10_000_000_000_000_000_000, 5, 5, 5);
        stats.Add(2, 9_000_000_000_000_000_000, 4_000_000_000_000_000_000, 5_000_000_000_000_000_000, ulong.MaxValue, 1, ulong.MaxValue);

        Assert.Equal(3, stats.Count);
        Assert.Equal((ulong.MaxValue, 4_000_000_000_000_000_000UL, 10_000_000_000_000_000_000UL), (stats.SumFirst, stats.MinFirst, stats.MaxFirst));
        Assert.Equal((ulong.MaxValue, 1UL, ulong.MaxValue), (stats.SumSecond, stats.MinSecond, stats.MaxSecond));
    }
}
