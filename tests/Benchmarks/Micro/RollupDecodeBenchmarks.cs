extern alias server;

using BenchmarkDotNet.Attributes;
using server::Tracefleet.Server.History.Encoding;

namespace Tracefleet.Benchmarks.Micro;

/// <summary>
/// Reading one hour bucket of a kmem probe (count, sum, min, max of two values per key, as the load tool synthesizes them):
/// everything, as a chart's peaks need, or sums only, as a top needs; in the sectioned layout written now and in the layout
/// written before it (extremes beside each sum, so a sums-only read still steps over them).
/// </summary>
[MemoryDiagnoser]
public class RollupDecodeBenchmarks
{
    private byte[] _sectioned = [];
    private byte[] _interleaved = [];

    [Params(200, 2000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var keys = new Dictionary<long, KeyStats>();
        for (var k = 0; k < Keys; k++)
        {
            var mean = 50_000UL / (ulong)(k + 1);
            var stats = new KeyStats();
            stats.Add(3600, [mean * 3600, mean * 1800], [(ulong)random.Next(10), 0], [mean * 2, mean]);
            keys[random.Next(1, 400_000)] = stats;
        }

        _sectioned = RollupPayload.Encode(new PackedWriter(), keys, 2);
        _interleaved = Interleaved(keys);
    }

    [Benchmark(Baseline = true)]
    public ulong AllInterleaved() => Read(_interleaved, sumsOnly: false);

    [Benchmark]
    public ulong SumsInterleaved() => Read(_interleaved, sumsOnly: true);

    [Benchmark]
    public ulong AllSectioned() => Read(_sectioned, sumsOnly: false);

    [Benchmark]
    public ulong SumsSectioned() => Read(_sectioned, sumsOnly: true);

    private static ulong Read(byte[] blob, bool sumsOnly)
    {
        var total = new Total();
        if (sumsOnly)
        {
            RollupPayload.DecodeSums(blob, ref total);
        }
        else
        {
            RollupPayload.Decode(blob, ref total);
        }

        return total.Sum;
    }

    // The layout before extremes were set apart: per key, id difference, count, then sum, min, max of each value.
    private static byte[] Interleaved(Dictionary<long, KeyStats> keys)
    {
        var writer = new PackedWriter();
        writer.Byte(2);
        writer.Varint((ulong)keys.Count);
        var previous = 0L;
        foreach (var (id, stats) in keys.OrderBy(k => k.Key))
        {
            writer.Varint((ulong)(id - previous));
            previous = id;
            writer.Varint(stats.Count);
            for (var v = 0; v < 2; v++)
            {
                writer.Varint(stats.Sums[v]);
                writer.Varint(stats.Mins[v]);
                writer.Varint(stats.Maxes[v]);
            }
        }

        return writer.ToArray();
    }

    private struct Total : IRowVisitor
    {
        public ulong Sum { get; private set; }

        public void Row(long keyId, long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes) =>
            Sum += sums[0] + (mins.IsEmpty ? 0 : maxes[0]);

        public void Totals(long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes)
        {
        }
    }
}
