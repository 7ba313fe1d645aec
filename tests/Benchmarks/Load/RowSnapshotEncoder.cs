using System.Text;

namespace Tracefleet.Benchmarks.Load;

/// <summary>
/// Writes an <c>AgentMessage</c> holding a row-form <c>Snapshot</c> straight as protobuf bytes into a reused
/// buffer, so the generator builds no message per row per second: the wire form the server parses, nothing else.
/// Keys come in already UTF-8 encoded. Field numbers are those of proto/tracefleet/v1/ingest.proto.
/// </summary>
internal sealed class RowSnapshotEncoder
{
    private byte[] _buffer = new byte[64 * 1024];
    private int[] _rowSizes = new int[256];

    /// <summary>
    /// The message's bytes, valid until the next call. <paramref name="second"/> is written only when
    /// <paramref name="columns"/> is 2; every span has one entry per key.
    /// </summary>
    public ReadOnlyMemory<byte> Encode(ulong sequence, byte[] probe, long startUnixMs, uint durationMs, ReadOnlySpan<byte[]> keys, ReadOnlySpan<ulong> first, ReadOnlySpan<ulong> second, int columns)
    {
        if (_rowSizes.Length < keys.Length)
        {
            _rowSizes = new int[keys.Length * 2];
        }

        var snapshotSize = 1 + Varint.Size(sequence) + 1 + Varint.Size((ulong)probe.Length) + probe.Length + 1 + Varint.Size((ulong)startUnixMs) + 1 + Varint.Size(durationMs);
        for (var i = 0; i < keys.Length; i++)
        {
            var packed = Varint.Size(first[i]) + (columns == 2 ? Varint.Size(second[i]) : 0);
            var row = 1 + Varint.Size((ulong)keys[i].Length) + keys[i].Length + 1 + Varint.Size((ulong)packed) + packed;
            _rowSizes[i] = row;
            snapshotSize += 1 + Varint.Size((ulong)row) + row;
        }

        var total = 1 + Varint.Size((ulong)snapshotSize) + snapshotSize;
        if (_buffer.Length < total)
        {
            _buffer = new byte[total * 2];
        }

        var span = _buffer.AsSpan();
        var at = 0;
        span[at++] = 0x12; // AgentMessage.snapshot = 2, length-delimited
        at += Varint.Write(span[at..], (ulong)snapshotSize);
        span[at++] = 0x08; // Snapshot.sequence = 1
        at += Varint.Write(span[at..], sequence);
        span[at++] = 0x12; // Snapshot.probe = 2
        at += Varint.Write(span[at..], (ulong)probe.Length);
        probe.CopyTo(span[at..]);
        at += probe.Length;
        span[at++] = 0x18; // Snapshot.start_unix_ms = 3
        at += Varint.Write(span[at..], (ulong)startUnixMs);
        span[at++] = 0x20; // Snapshot.duration_ms = 4
        at += Varint.Write(span[at..], durationMs);
        for (var i = 0; i < keys.Length; i++)
        {
            span[at++] = 0x2A; // Snapshot.rows = 5
            at += Varint.Write(span[at..], (ulong)_rowSizes[i]);
            span[at++] = 0x0A; // Row.key = 1
            at += Varint.Write(span[at..], (ulong)keys[i].Length);
            keys[i].CopyTo(span[at..]);
            at += keys[i].Length;
            span[at++] = 0x12; // Row.values = 2, packed
            at += Varint.Write(span[at..], (ulong)(Varint.Size(first[i]) + (columns == 2 ? Varint.Size(second[i]) : 0)));
            at += Varint.Write(span[at..], first[i]);
            if (columns == 2)
            {
                at += Varint.Write(span[at..], second[i]);
            }
        }

        return _buffer.AsMemory(0, at);
    }

    /// <summary>UTF-8 bytes of a key or probe name, encoded once by the caller and reused every second.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static class Varint
    {
        public static int Size(ulong value) => value < 0x80 ? 1 : (70 - System.Numerics.BitOperations.LeadingZeroCount(value)) / 7;

        public static int Write(Span<byte> span, ulong value)
        {
            var i = 0;
            while (value >= 0x80)
            {
                span[i++] = (byte)(value | 0x80);
                value >>= 7;
            }

            span[i++] = (byte)value;
            return i;
        }
    }
}
