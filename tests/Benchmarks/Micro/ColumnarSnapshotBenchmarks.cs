using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tracefleet.Contract;
using Wire = Tracefleet.Contract.V1;

namespace Tracefleet.Benchmarks.Micro;

/// <summary>
/// One AgentMessage's bytes of a 200-key snapshot (kmem: two values a key, pagefaults: one) parsed into the form the
/// server's ingest works on: the row form as the server held it before the columnar form (a message, a value list and a
/// key per row), the row form of an older agent moved into the columnar form now, and the columnar form agents send now.
/// Keys are as long as real ones (kmem's cache names, pagefaults' library paths), values skewed as real counts are.
/// </summary>
[MemoryDiagnoser]
public class ColumnarSnapshotBenchmarks
{
    private const int Keys = 200;

    private byte[] _rowForm = [];
    private byte[] _columnar = [];
    private byte[] _valuesOnly = [];
    private byte[] _keyBlob = [];

    [Params("kmem", "pagefaults")]
    public string Probe { get; set; } = "kmem";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var width = Probe == "kmem" ? 2 : 1;
        var columnar = new Wire.Snapshot { Sequence = 1, Probe = Probe, StartUnixMs = 1_795_672_800_000, DurationMs = 1000 };
        for (var k = 0; k < Keys; k++)
        {
            columnar.Keys.Add(Probe == "kmem" ? $"kmalloc-rcl-{k * 8}" : $"/usr/lib/x86_64-linux-gnu/libexample{k}.so.6");
            for (var v = 0; v < width; v++)
            {
                columnar.Values.Add((ulong)random.Next((50_000 / (k + 1)) + 1));
            }
        }

        var rows = columnar.Clone();
        rows.Keys.Clear();
        rows.Values.Clear();
        for (var k = 0; k < Keys; k++)
        {
            var row = new Wire.Row { Key = columnar.Keys[k] };
            row.Values.Add(columnar.Values.Skip(k * width).Take(width));
            rows.Rows.Add(row);
        }

        _rowForm = new Wire.AgentMessage { Snapshot = rows }.ToByteArray();
        _columnar = new Wire.AgentMessage { Snapshot = columnar }.ToByteArray();
        var valuesOnly = columnar.Clone();
        valuesOnly.Keys.Clear();
        _valuesOnly = new Wire.AgentMessage { Snapshot = valuesOnly }.ToByteArray();
        var blob = new MemoryStream();
        foreach (var key in columnar.Keys)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(key);
            blob.WriteByte((byte)bytes.Length);
            blob.Write(bytes);
        }

        _keyBlob = new BytesValue { Value = ByteString.CopyFrom(blob.ToArray()) }.ToByteArray();
    }

    /// <summary>Before the columnar form: the parsed rows were the server's ingest form.</summary>
    [Benchmark(Baseline = true)]
    public int RowFormAsBefore() => Wire.AgentMessage.Parser.ParseFrom(_rowForm).Snapshot.Rows.Count;

    /// <summary>An older agent's rows now: parsed, then moved into the columnar form once.</summary>
    [Benchmark]
    public int RowFormAdapted()
    {
        var snapshot = Wire.AgentMessage.Parser.ParseFrom(_rowForm).Snapshot;
        SnapshotColumns.FromRows(snapshot);
        return snapshot.Keys.Count;
    }

    /// <summary>An agent of this version: the columnar form as parsed is the ingest form.</summary>
    [Benchmark]
    public int Columnar() => Wire.AgentMessage.Parser.ParseFrom(_columnar).Snapshot.Keys.Count;

    /// <summary>
    /// Not a wire form (yet): what the keys as one length-prefixed bytes field would cost at best, its key strings never
    /// made (as when every key is found in a table of the host's known keys): the values parsed, plus one bytes field.
    /// </summary>
    [Benchmark]
    public int KeysAsOneBlobAtBest() =>
        Wire.AgentMessage.Parser.ParseFrom(_valuesOnly).Snapshot.Values.Count + BytesValue.Parser.ParseFrom(_keyBlob).Value.Length;
}
