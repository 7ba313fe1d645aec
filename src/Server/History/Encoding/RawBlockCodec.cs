using Tracefleet.Contract;
using ZstdSharp;

namespace Tracefleet.Server.History.Encoding;

/// <summary>
/// The raw tier packed across time: one host's snapshots of one probe over a block of minutes, the key list once and
/// the values laid out key by key, then compressed with zstd (RFC 8878). The payload before compression:
/// <list type="bullet">
/// <item>a format byte (1), the values per row (the probe's width, 1 to <see cref="RowValues.MaxCount"/>), the snapshot count N and key count K as varints;</item>
/// <item>the K key ids, ascending, each as the difference to the previous;</item>
/// <item>per snapshot, in the block's order (<see cref="PackedSnapshot.Compare"/>): zigzag(start − previous start, the first against 0), duration ms, malformed lines;</item>
/// <item>per key, the snapshots holding it as runs: the run count, then per run the gap since the previous run's end and its length;</item>
/// <item>per key and column: a byte 0 (values as they are), 1 (zigzag difference to the key's previous value in the block) or
/// 2 (zigzag difference to the row's first column; not for the first), then that column's values in the snapshots holding the key, as varints.</item>
/// </list>
/// A key's values sit together, each (key, column) in the coding whose bytes have the least order-0 entropy: per-second counts of one
/// slab cache or file come from a narrow set, which zstd's entropy stage codes in well under a byte. The identities that
/// recognise a resend are kept apart, uncompressed (<see cref="BlockSequences"/>).
/// One instance per thread: it keeps its compression contexts and buffers.
/// </summary>
public sealed class RawBlockCodec : IDisposable
{
    /// <summary>zstd's level for blocks: packing runs in maintenance, off ingest's path, and this level measured best for its cost (docs/PERFORMANCE.md).</summary>
    public const int DefaultLevel = 9;

    private const byte Format = 1;

    private readonly int _level;
    private Compressor? _compressor;
    private Decompressor? _decompressor;
    private readonly PackedWriter _writer = new();
    private byte[] _plain = new byte[64 * 1024];
    private int _plainLength;

    // The block last decoded: per snapshot its header and its rows [_rowStart[s], _rowStart[s + 1]) in key order, each row's
    // key id and values (row × width + column); _keyPlaces lists each key's rows in snapshot order, key after key.
    private long[] _keyIds = [];
    private long[] _starts = [];
    private int[] _durations = [];
    private long[] _malformed = [];
    private int[] _rowStart = [];
    private long[] _rowKey = [];
    private ulong[] _rowValues = [];
    private int[] _keyPlaces = [];
    private int[] _cursor = [];
    private int[] _runs = [];

    public RawBlockCodec(int level = DefaultLevel) => _level = level;

    /// <summary>Snapshots in the block last decoded.</summary>
    public int Count { get; private set; }

    /// <summary>Keys in the block last decoded.</summary>
    public int KeyCount { get; private set; }

    /// <summary>Values per row in the block last decoded.</summary>
    public int Width { get; private set; }

    /// <summary>The start of snapshot <paramref name="s"/> of the block last decoded, Unix ms.</summary>
    public long StartOf(int s) => _starts[s];

    /// <summary>
    /// Packs <paramref name="snapshots"/> (in <see cref="PackedSnapshot.Compare"/> order, rows sorted by key id, each row
    /// <paramref name="width"/> values) into a compressed payload.
    /// </summary>
    public byte[] Encode(IReadOnlyList<PackedSnapshot> snapshots, int width)
    {
        SnapshotPayload.CheckWidth(width);
        // Each key's rows, in snapshot order: (snapshot, row) places into the snapshots' row lists.
        var byKey = new SortedDictionary<long, List<(int Snapshot, int Row)>>();
        for (var s = 0; s < snapshots.Count; s++)
        {
            var rows = snapshots[s].Rows;
            for (var i = 0; i < rows.Count; i++)
            {
                if (!byKey.TryGetValue(rows[i].KeyId, out var places))
                {
                    byKey[rows[i].KeyId] = places = [];
                }

                places.Add((s, i));
            }
        }

        var w = _writer;
        w.Reset();
        w.Byte(Format);
        w.Byte((byte)width);
        w.Varint((ulong)snapshots.Count);
        w.Varint((ulong)byKey.Count);
        var previous = 0L;
        foreach (var keyId in byKey.Keys)
        {
            w.Varint((ulong)(keyId - previous));
            previous = keyId;
        }

        previous = 0;
        foreach (var snapshot in snapshots)
        {
            w.Varint(ZigZag.Encode(snapshot.StartUnixMs - previous));
            previous = snapshot.StartUnixMs;
            w.Varint((ulong)snapshot.DurationMs);
            w.Varint((ulong)snapshot.MalformedLines);
        }

        foreach (var places in byKey.Values)
        {
            WriteRuns(w, places);
        }

        var firsts = new ulong[snapshots.Count];
        var column = new ulong[snapshots.Count];
        foreach (var places in byKey.Values)
        {
            for (var v = 0; v < width; v++)
            {
                var values = (v == 0 ? firsts : column).AsSpan(0, places.Count);
                for (var i = 0; i < places.Count; i++)
                {
                    values[i] = snapshots[places[i].Snapshot].Rows[places[i].Row].Values[v];
                }

                var coding = Cheapest(values, v == 0 ? null : firsts.AsSpan(0, places.Count));
                w.Byte((byte)coding);
                ulong last = 0;
                for (var i = 0; i < values.Length; i++)
                {
                    w.Varint(Coded(coding, values[i], last, v == 0 ? 0 : firsts[i]));
                    last = values[i];
                }
            }
        }

        return (_compressor ??= new Compressor(_level)).Wrap(w.Written).ToArray();
    }

    /// <summary>
    /// Decompresses and lays out a payload <see cref="Encode"/> wrote; then <see cref="Count"/>, <see cref="StartOf"/> and
    /// <see cref="Visit"/> read it. Throws <see cref="InvalidDataException"/> for a payload no release wrote.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> payload)
    {
        try
        {
            var size = Decompressor.GetDecompressedSize(payload);
            if (size > int.MaxValue)
            {
                throw new InvalidDataException($"a block of {size} bytes unpacked");
            }

            if (_plain.Length < (int)size)
            {
                _plain = new byte[Math.Max((int)size, _plain.Length * 2)];
            }

            _plainLength = (_decompressor ??= new Decompressor()).Unwrap(payload, _plain);
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"a block's payload is not zstd: {e.Message}", e);
        }

        Layout(_plain.AsSpan(0, _plainLength));
    }

    /// <summary>Calls <paramref name="visit"/> with snapshot <paramref name="s"/>'s rows (key id order) and totals, as <see cref="SnapshotPayload.Decode{TVisitor}(ReadOnlySpan{byte}, ref TVisitor)"/> does for a row of Snapshots.</summary>
    public void Visit<TVisitor>(int s, ref TVisitor visit)
        where TVisitor : struct, IRowVisitor
    {
        var width = Width;
        Span<ulong> totals = stackalloc ulong[RowValues.MaxCount];
        totals = totals[..width];
        totals.Clear();
        for (var r = _rowStart[s]; r < _rowStart[s + 1]; r++)
        {
            var row = _rowValues.AsSpan(r * width, width);
            for (var v = 0; v < width; v++)
            {
                totals[v] = Counts.Add(totals[v], row[v]);
            }

            visit.Row(_rowKey[r], 1, row, row, row);
        }

        visit.Totals(1, totals, totals, totals);
    }

    /// <summary>The block's snapshots with their identities (the block's <see cref="BlockSequences"/>), to merge late ones in or read one whole.</summary>
    public List<PackedSnapshot> DecodeAll(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> sequences)
    {
        Decode(payload);
        var identities = BlockSequences.Decode(sequences);
        if (identities.Count != Count)
        {
            throw new InvalidDataException($"a block holds {Count} snapshots and {identities.Count} identities");
        }

        var snapshots = new List<PackedSnapshot>(Count);
        for (var s = 0; s < Count; s++)
        {
            snapshots.Add(SnapshotAt(s, identities[s]));
        }

        return snapshots;
    }

    /// <summary>Snapshot <paramref name="s"/> of the block last decoded, with <paramref name="identity"/>.</summary>
    public PackedSnapshot SnapshotAt(int s, SnapshotIdentity identity)
    {
        var rows = new List<KeyRow>(_rowStart[s + 1] - _rowStart[s]);
        for (var r = _rowStart[s]; r < _rowStart[s + 1]; r++)
        {
            rows.Add(new KeyRow(_rowKey[r], RowValues.Of(_rowValues.AsSpan(r * Width, Width))));
        }

        return new PackedSnapshot(_starts[s], _durations[s], identity.Epoch, identity.Sequence, _malformed[s], identity.Digest, rows);
    }

    public void Dispose()
    {
        _compressor?.Dispose();
        _decompressor?.Dispose();
    }

    /// <summary>How a (key, column)'s values are written; the byte before them says which.</summary>
    private enum Coding : byte
    {
        /// <summary>As they are.</summary>
        Plain = 0,

        /// <summary>Zigzag difference to the key's previous value in the column (a steady rate).</summary>
        Delta = 1,

        /// <summary>Zigzag difference to the row's first column (a slab cache's frees follow its allocations).</summary>
        FromFirst = 2,
    }

    private static readonly Coding[] FirstColumnCodings = [Coding.Plain, Coding.Delta];
    private static readonly Coding[] OtherColumnCodings = [Coding.Plain, Coding.Delta, Coding.FromFirst];

    private static ulong Coded(Coding coding, ulong value, ulong last, ulong first) => coding switch
    {
        Coding.Delta => ZigZag.Encode(unchecked((long)(value - last))),
        Coding.FromFirst => ZigZag.Encode(unchecked((long)(value - first))),
        _ => value,
    };

    /// <summary>
    /// The coding whose varint bytes have the least order-0 entropy (Shannon: Σ n·log2(total/n) over the byte values), a
    /// stand-in for what zstd's Huffman stage makes of them; <paramref name="firsts"/> is null for the first column.
    /// </summary>
    private static Coding Cheapest(ReadOnlySpan<ulong> values, ReadOnlySpan<ulong> firsts)
    {
        Span<int> histogram = stackalloc int[256];
        Span<byte> varint = stackalloc byte[Varint.MaxBytes];
        var (best, bestBits) = (Coding.Plain, double.MaxValue);
        foreach (var coding in firsts.IsEmpty ? FirstColumnCodings : OtherColumnCodings)
        {
            histogram.Clear();
            var total = 0;
            ulong last = 0;
            for (var i = 0; i < values.Length; i++)
            {
                var length = Varint.Write(varint, Coded(coding, values[i], last, firsts.IsEmpty ? 0 : firsts[i]));
                last = values[i];
                foreach (var b in varint[..length])
                {
                    histogram[b]++;
                }

                total += length;
            }

            // Plus a byte per distinct byte value, for its code in the table: without it, a column of many distinct bytes looks cheap.
            var bits = 0.0;
            foreach (var n in histogram)
            {
                bits += n == 0 ? 0 : (n * Math.Log2((double)total / n)) + 8;
            }
            if (bits < bestBits)
            {
                (best, bestBits) = (coding, bits);
            }
        }

        return best;
    }

    /// <summary>The snapshots holding a key as runs of consecutive ones: the count, then (gap since the last run's end, length) each.</summary>
    private static void WriteRuns(PackedWriter w, List<(int Snapshot, int Row)> places)
    {
        var runs = 1;
        for (var i = 1; i < places.Count; i++)
        {
            runs += places[i].Snapshot == places[i - 1].Snapshot + 1 ? 0 : 1;
        }

        w.Varint((ulong)runs);
        var end = 0;
        for (var i = 0; i < places.Count;)
        {
            var first = places[i].Snapshot;
            var j = i + 1;
            while (j < places.Count && places[j].Snapshot == places[j - 1].Snapshot + 1)
            {
                j++;
            }

            w.Varint((ulong)(first - end));
            w.Varint((ulong)(j - i));
            end = first + (j - i);
            i = j;
        }
    }

    private void Layout(ReadOnlySpan<byte> plain)
    {
        var position = 0;
        if (plain.Length < 2 || plain[position++] != Format)
        {
            throw new InvalidDataException("not a raw block (format byte)");
        }

        var width = (int)plain[position++];
        SnapshotPayload.CheckWidth(width);
        var n = Bounded(Varint.Read(plain, ref position), plain.Length, "snapshots");
        var keys = Bounded(Varint.Read(plain, ref position), plain.Length, "keys");
        (Width, Count, KeyCount) = (width, n, keys);
        Grow(ref _keyIds, keys);
        Grow(ref _starts, n);
        Grow(ref _durations, n);
        Grow(ref _malformed, n);
        Grow(ref _rowStart, n + 1);
        Grow(ref _cursor, n);
        var keyId = 0L;
        for (var k = 0; k < keys; k++)
        {
            keyId += (long)Varint.Read(plain, ref position);
            _keyIds[k] = keyId;
        }

        var start = 0L;
        for (var s = 0; s < n; s++)
        {
            start += ZigZag.Decode(Varint.Read(plain, ref position));
            _starts[s] = start;
            _durations[s] = (int)Varint.Read(plain, ref position);
            _malformed[s] = (long)Varint.Read(plain, ref position);
        }

        // Runs, as (first snapshot, length) pairs after each key's count; rows per snapshot counted on the way.
        var runCount = 0;
        _rowStart.AsSpan(0, n + 1).Clear();
        for (var k = 0; k < keys; k++)
        {
            var count = Bounded(Varint.Read(plain, ref position), plain.Length, "runs");
            if (_runs.Length < runCount + 1 + (2 * count))
            {
                // Unlike the other buffers, this one is read back as it fills: keep what it holds.
                Array.Resize(ref _runs, Math.Max(runCount + 1 + (2 * count), _runs.Length * 2));
            }

            _runs[runCount++] = count;
            var end = 0;
            for (var r = 0; r < count; r++)
            {
                var first = end + (int)Varint.Read(plain, ref position);
                var length = (int)Varint.Read(plain, ref position);
                end = first + length;
                if (first < 0 || length < 0 || end > n)
                {
                    throw new InvalidDataException($"a key's run [{first}, {end}) outside the block's {n} snapshots");
                }

                (_runs[runCount++], _runs[runCount++]) = (first, length);
                for (var s = first; s < end; s++)
                {
                    _rowStart[s + 1]++;
                }
            }
        }

        for (var s = 0; s < n; s++)
        {
            _rowStart[s + 1] += _rowStart[s];
            _cursor[s] = _rowStart[s];
        }

        var total = _rowStart[n];
        Grow(ref _rowKey, total);
        Grow(ref _keyPlaces, total);
        Grow(ref _rowValues, total * width);
        // Keys in ascending order fill each snapshot's rows in key order.
        var read = 0;
        var place = 0;
        for (var k = 0; k < keys; k++)
        {
            var count = _runs[read++];
            for (var r = 0; r < count; r++)
            {
                var (first, length) = (_runs[read++], _runs[read++]);
                for (var s = first; s < first + length; s++)
                {
                    var row = _cursor[s]++;
                    _rowKey[row] = _keyIds[k];
                    _keyPlaces[place++] = row;
                }
            }
        }

        place = 0;
        for (var k = 0; k < keys; k++)
        {
            var held = 0;
            for (var p = place; p < total && _rowKey[_keyPlaces[p]] == _keyIds[k]; p++)
            {
                held++;
            }

            for (var v = 0; v < width; v++)
            {
                var coding = (Coding)plain[position++];
                if (coding is not (Coding.Plain or Coding.Delta or Coding.FromFirst) || (coding == Coding.FromFirst && v == 0))
                {
                    throw new InvalidDataException($"column {v} of a raw block coded as {(byte)coding}");
                }

                ulong last = 0;
                for (var i = 0; i < held; i++)
                {
                    var row = _keyPlaces[place + i] * width;
                    var coded = Varint.Read(plain, ref position);
                    last = coding switch
                    {
                        Coding.Delta => unchecked(last + (ulong)ZigZag.Decode(coded)),
                        Coding.FromFirst => unchecked(_rowValues[row] + (ulong)ZigZag.Decode(coded)),
                        _ => coded,
                    };
                    _rowValues[row + v] = last;
                }
            }

            place += held;
        }
    }

    private static int Bounded(ulong count, int bytes, string what) =>
        count <= (ulong)bytes * 8 ? (int)count : throw new InvalidDataException($"a block of {bytes} bytes cannot hold {count} {what}");

    /// <summary>At least <paramref name="length"/> places; what it held is not kept.</summary>
    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[Math.Max(length, array.Length * 2)];
        }
    }
}
