using System.Text;

namespace Tracefleet.Benchmarks.Load;

/// <summary>
/// Writes an <c>AgentMessage</c> holding a <c>Snapshot</c> in the columnar form agents send (<c>keys</c>, then the packed
/// row-major <c>values</c>) straight as protobuf bytes into a reused buffer, so the generator builds no message per row
/// per second: the wire form the server parses, nothing else. Keys come in already UTF-8 encoded. Field numbers are those
/// of proto/tracefleet/v1/ingest.proto.
/// </summary>
internal sealed class SnapshotEncoder
{
    private byte[] _buffer = new byte[64 * 1024];

    /// <summary>
    /// The message's bytes, valid until the next call. <paramref name="second"/> is written only when
    /// <paramref name="columns"/> is 2; every span has one entry per key.
    /// </summary>
    public ReadOnlyMemory<byte> Encode(ulong sequence, byte[] probe, long startUnixMs, uint durationMs, ReadOnlySpan<byte[]> keys, ReadOnlySpan<ulong> first, ReadOnlySpan<ulong> second, int columns)
    {
        var snapshotSize = 1 + Varint.Size(sequence) + 1 + Varint.Size((ulong)probe.Length) + probe.Length + 1 + Varint.Size((ulong)startUnixMs) + 1 + Varint.Size(durationMs);
        var packed = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            snapshotSize += 1 + Varint.Size((ulong)keys[i].Length) + keys[i].Length;
            packed += Varint.Size(first[i]) + (columns == 2 ? Varint.Size(second[i]) : 0);
        }

        if (keys.Length > 0)
        {
            snapshotSize += 1 + Varint.Size((ulong)packed) + packed;
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
        foreach (var key in keys)
        {
            span[at++] = 0x3A; // Snapshot.keys = 7
            at += Varint.Write(span[at..], (ulong)key.Length);
            key.CopyTo(span[at..]);
            at += key.Length;
        }

        if (keys.Length > 0)
        {
            span[at++] = 0x42; // Snapshot.values = 8, packed, row-major
            at += Varint.Write(span[at..], (ulong)packed);
            for (var i = 0; i < keys.Length; i++)
            {
                at += Varint.Write(span[at..], first[i]);
                if (columns == 2)
                {
                    at += Varint.Write(span[at..], second[i]);
                }
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
