extern alias server;

using BenchmarkDotNet.Attributes;
using server::Tracefleet.Server.History.Encoding;

namespace Tracefleet.Benchmarks.Micro;

/// <summary>Packing and unpacking one snapshot's rows, and merging a snapshot into a rollup bucket.</summary>
[MemoryDiagnoser]
public class EncodingBenchmarks
{
    private readonly PackedWriter _writer = new();
    private KeyRow[] _rows = [];
    private byte[] _packed = [];

    [Params(200, 1000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _rows = [.. Enumerable.Range(0, Keys).Select(k => new KeyRow(random.Next(1, 50_000), RowValues.Of((ulong)random.Next(50_000 / (k + 1) + 1), (ulong)random.Next(1000))))];
        _packed = SnapshotPayload.Encode(_writer, _rows.ToArray(), 2);
    }

    [Benchmark]
    public int Encode() => SnapshotPayload.Encode(_writer, _rows.ToArray(), 2).Length;

    [Benchmark]
    public int Decode() => SnapshotPayload.Decode(_packed).Count;

    [Benchmark]
    public int MergeIntoRollup()
    {
        var keys = new Dictionary<long, KeyStats>();
        var merge = new RollupPayload.MergeInto(keys);
        SnapshotPayload.Decode(_packed, ref merge);
        return RollupPayload.Encode(_writer, keys, 2).Length;
    }

    /// <summary>Bytes per row of the packed form (reported, not timed).</summary>
    [Benchmark]
    public double BytesPerRow() => _packed.Length / (double)Keys;
}
