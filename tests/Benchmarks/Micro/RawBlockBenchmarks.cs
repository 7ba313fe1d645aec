extern alias load;
extern alias server;

using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using load::Tracefleet.Benchmarks.Load;
using server::Tracefleet.Server.History.Encoding;

namespace Tracefleet.Benchmarks.Micro;

/// <summary>
/// One raw block: a host's 600 snapshots of a probe (ten minutes, one a second) of 200 keys, about 1 % of them replaced
/// each second, every value drawn at random (seeded) from that key's values in the real Linux captures by the load
/// generator's own <c>KeySet</c>. Packed at zstd levels 3, 9 (the server's) and 19, then unpacked; the BytesPerValue column is
/// the payload's size ÷ the values it holds (a kmem row holds two), beside the rows as Snapshots kept them one by one.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(WithSize))]
public class RawBlockBenchmarks
{
    private const int Snapshots = 600;
    private const int Keys = 200;

    private static readonly ConcurrentDictionary<string, double> SizeOf = new();

    private RawBlockCodec _codec = null!;
    private List<PackedSnapshot> _snapshots = [];
    private byte[] _payload = [];
    private int _width;

    [Params("kmem", "pagefaults")]
    public string Probe { get; set; } = "kmem";

    [Params(3, RawBlockCodec.DefaultLevel, 19)]
    public int Level { get; set; } = RawBlockCodec.DefaultLevel;

    [GlobalSetup]
    public void Setup()
    {
        _width = Probe == "kmem" ? 2 : 1;
        _snapshots = Draw(Probe == "kmem" ? "linux-stap-kmemstat.txt" : "linux-stap-pfstat.txt", _width);
        _codec = new RawBlockCodec(Level);
        _payload = _codec.Encode(_snapshots, _width);
        var values = _snapshots.Sum(s => s.Rows.Count) * (double)_width;
        SizeOf[Name(Probe, Level)] = _payload.Length / values;
        SizeOf[Name(Probe, 0)] = _snapshots.Sum(s => SnapshotPayload.Encode(new PackedWriter(), [.. s.Rows], _width).Length) / values;
    }

    [GlobalCleanup]
    public void Cleanup() => _codec.Dispose();

    [Benchmark]
    public int Encode() => _codec.Encode(_snapshots, _width).Length;

    [Benchmark]
    public int Decode()
    {
        _codec.Decode(_payload);
        return _codec.Count;
    }

    private static string Name(string probe, int level) => $"{probe}/{level}";

    /// <summary>The load generator's own draws (its <see cref="KeySet"/>, seeded), each key name given an id as the store would.</summary>
    private static List<PackedSnapshot> Draw(string capture, int width)
    {
        var keys = new KeySet("sim-0001", width == 2 ? "kmem" : "pagefaults", Keys, Capture.Read(Path.Combine(AppContext.BaseDirectory, "captures", capture)), 42);
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        var snapshots = new List<PackedSnapshot>(Snapshots);
        for (var s = 0; s < Snapshots; s++)
        {
            var start = 1_795_672_800_000 + (s * 1000L);
            keys.Next(start);
            var rows = keys.Keys.Select((key, slot) => new KeyRow(
                ids.TryGetValue(key, out var id) ? id : ids[key] = ids.Count + 1,
                width == 2 ? RowValues.Of(keys.First[slot], keys.Second[slot]) : RowValues.Of(keys.First[slot]))).ToList();
            rows.Sort(static (a, b) => a.KeyId.CompareTo(b.KeyId));
            snapshots.Add(new PackedSnapshot(start, 1000, 1, s + 1, 0, s * 7919L, rows));
        }

        return snapshots;
    }

    private sealed class WithSize : ManualConfig
    {
        public WithSize() => AddColumn(new BytesPerValue(false), new BytesPerValue(true));
    }

    /// <summary>The block's bytes a value (or the rows' one by one, <paramref name="rows"/>), from the setup of the same parameters.</summary>
    private sealed class BytesPerValue(bool rows) : IColumn
    {
        public string Id => ColumnName;

        public string ColumnName => rows ? "RowsBytesPerValue" : "BytesPerValue";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => rows ? 1 : 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => rows ? "Bytes a value as rows of Snapshots, one by one" : "Bytes a value in the packed block";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var probe = (string)benchmarkCase.Parameters["Probe"];
            var level = rows ? 0 : (int)benchmarkCase.Parameters["Level"];
            return SizeOf.TryGetValue(Name(probe, level), out var size) ? size.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) : "?";
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
