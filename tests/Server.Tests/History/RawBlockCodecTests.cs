using Tracefleet.Server.History.Encoding;

namespace Tracefleet.Server.Tests.History;

/// <summary>Raw blocks give back exactly what was packed: every snapshot, its header, its identity and its rows.</summary>
public sealed class RawBlockCodecTests
{
    public static TheoryData<int, int> Cases() => new() { { 1, 1 }, { 2, 2 }, { 3, 1 }, { 4, 2 }, { 5, 4 }, { 6, 3 } };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodeAll_RandomSnapshots_GivesBackWhatWasPacked(int seed, int width)
    {
        var random = new Random(seed);
        var snapshots = RandomSnapshots(random, random.Next(1, 700), width);
        using var codec = new RawBlockCodec();

        var payload = codec.Encode(snapshots, width);
        var back = codec.DecodeAll(payload, BlockSequences.Encode(new PackedWriter(), snapshots));

        Assert.Equal(snapshots.Count, back.Count);
        for (var i = 0; i < snapshots.Count; i++)
        {
            Assert.Equal(snapshots[i] with { Rows = [] }, back[i] with { Rows = [] });
            Assert.Equal(snapshots[i].Rows, back[i].Rows);
        }
    }

    [Fact]
    public void Visit_Snapshot_GivesItsRowsInKeyOrderAndItsSaturatedTotals()
    {
        var snapshots = new List<PackedSnapshot>
        {
            new(1000, 1000, 1, 1, 0, null, [new KeyRow(3, RowValues.Of(5, 1)), new KeyRow(9, RowValues.Of(7, 2))]),
            new(2000, 1000, 1, 2, 3, 42, [new KeyRow(3, RowValues.Of(ulong.MaxValue, 0)), new KeyRow(4, RowValues.Of(1, 9))]),
            new(3000, 1000, 1, 3, 0, null, []),
        };
        using var codec = new RawBlockCodec();
        codec.Decode(codec.Encode(snapshots, 2));

        var seen = new Collect([], []);
        codec.Visit(1, ref seen);
        codec.Visit(2, ref seen);

        Assert.Equal([(3L, ulong.MaxValue, 0UL), (4L, 1UL, 9UL)], seen.Rows);
        Assert.Equal([(ulong.MaxValue, 9UL), (0UL, 0UL)], seen.Totals);
        Assert.Equal([1000L, 2000L, 3000L], Enumerable.Range(0, codec.Count).Select(codec.StartOf));
    }

    [Fact]
    public void Decode_NotABlock_ThrowsInvalidData()
    {
        using var codec = new RawBlockCodec();
        Assert.Throws<InvalidDataException>(() => codec.Decode([1, 2, 3, 4]));
        Assert.Throws<InvalidDataException>(() => BlockSequences.Decode([9, 0]));
    }

    /// <summary>Keys churn, come and go, and values span small counts to 2^64 − 1; some columns follow the first.</summary>
    internal static List<PackedSnapshot> RandomSnapshots(Random random, int count, int width)
    {
        var keys = Enumerable.Range(1, 50).Select(i => (long)i).ToArray();
        var next = 1000L;
        var start = 1_700_000_000_000L + random.Next(1000);
        var epoch = random.NextInt64(long.MinValue, long.MaxValue);
        var snapshots = new List<PackedSnapshot>();
        for (var s = 0; s < count; s++)
        {
            if (random.Next(2) == 0)
            {
                keys[random.Next(keys.Length)] = next++;
            }

            // Odd keys' later columns follow their first (frees after allocations), wrapping past 2^64 now and then.
            var rows = keys.Where(_ => random.Next(5) > 0).Distinct().Order()
                .Select(k =>
                {
                    var first = Value(random);
                    return new KeyRow(k, RowValues.Of([first, .. Enumerable.Range(1, width - 1).Select(_ => k % 2 == 1 ? unchecked(first + (ulong)random.Next(-3, 4)) : Value(random))]));
                }).ToList();
            start += random.Next(3) == 0 ? 0 : random.Next(1, 2000);
            epoch += random.Next(50) == 0 ? 1 : 0;
            snapshots.Add(new PackedSnapshot(start, random.Next(0, 5000), epoch, s + random.Next(2), random.Next(3) == 0 ? random.Next(100) : 0,
                random.Next(2) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : null, rows));
        }

        snapshots.Sort(PackedSnapshot.Compare);
        return snapshots;
    }

    private static ulong Value(Random random) => random.Next(8) switch
    {
        0 => ulong.MaxValue,
        1 => (ulong)random.NextInt64() << 1,
        2 => 0,
        _ => (ulong)random.Next(0, 300),
    };

    private readonly struct Collect(List<(long, ulong, ulong)> rows, List<(ulong, ulong)> totals) : IRowVisitor
    {
        public List<(long, ulong, ulong)> Rows => rows;

        public List<(ulong, ulong)> Totals => totals;

        public void Row(long keyId, long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes) =>
            rows.Add((keyId, sums[0], sums[1]));

        void IRowVisitor.Totals(long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes) =>
            totals.Add((sums[0], sums[1]));
    }
}
