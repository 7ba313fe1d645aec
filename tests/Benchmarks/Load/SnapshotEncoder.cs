using Google.Protobuf;
using Tracefleet.Contract.V1;

namespace Tracefleet.Benchmarks.Load;

/// <summary>
/// Writes an <c>AgentMessage</c> holding a <c>Snapshot</c> in the columnar form agents send (<c>keys</c>, then the packed
/// row-major <c>values</c>) straight into a reused buffer through Google.Protobuf's <see cref="CodedOutputStream"/>, so the
/// generator builds no message per row per second: the wire form the server parses, nothing else. Keys come in already
/// UTF-8 encoded (<see cref="Utf8"/>, once per key).
/// </summary>
internal sealed class SnapshotEncoder
{
    private byte[] _buffer = new byte[64 * 1024];

    /// <summary>
    /// The message's bytes, valid until the next call. <paramref name="second"/> is written only when
    /// <paramref name="columns"/> is 2; every span has one entry per key.
    /// </summary>
    public ReadOnlyMemory<byte> Encode(ulong sequence, ByteString probe, long startUnixMs, uint durationMs, ReadOnlySpan<ByteString> keys, ReadOnlySpan<ulong> first, ReadOnlySpan<ulong> second, int columns)
    {
        var packed = 0;
        var snapshotSize = Field(Snapshot.SequenceFieldNumber) + CodedOutputStream.ComputeUInt64Size(sequence)
            + Field(Snapshot.ProbeFieldNumber) + CodedOutputStream.ComputeBytesSize(probe)
            + Field(Snapshot.StartUnixMsFieldNumber) + CodedOutputStream.ComputeInt64Size(startUnixMs)
            + Field(Snapshot.DurationMsFieldNumber) + CodedOutputStream.ComputeUInt32Size(durationMs);
        for (var i = 0; i < keys.Length; i++)
        {
            snapshotSize += Field(Snapshot.KeysFieldNumber) + CodedOutputStream.ComputeBytesSize(keys[i]);
            packed += CodedOutputStream.ComputeUInt64Size(first[i]) + (columns == 2 ? CodedOutputStream.ComputeUInt64Size(second[i]) : 0);
        }

        if (keys.Length > 0)
        {
            snapshotSize += Field(Snapshot.ValuesFieldNumber) + CodedOutputStream.ComputeLengthSize(packed) + packed;
        }

        var total = Field(AgentMessage.SnapshotFieldNumber) + CodedOutputStream.ComputeLengthSize(snapshotSize) + snapshotSize;
        if (_buffer.Length < total)
        {
            _buffer = new byte[total * 2];
        }

        var output = new CodedOutputStream(_buffer);
        output.WriteTag(AgentMessage.SnapshotFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteLength(snapshotSize);
        output.WriteTag(Snapshot.SequenceFieldNumber, WireFormat.WireType.Varint);
        output.WriteUInt64(sequence);
        output.WriteTag(Snapshot.ProbeFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(probe);
        output.WriteTag(Snapshot.StartUnixMsFieldNumber, WireFormat.WireType.Varint);
        output.WriteInt64(startUnixMs);
        output.WriteTag(Snapshot.DurationMsFieldNumber, WireFormat.WireType.Varint);
        output.WriteUInt32(durationMs);
        foreach (var key in keys)
        {
            output.WriteTag(Snapshot.KeysFieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(key);
        }

        if (keys.Length > 0)
        {
            output.WriteTag(Snapshot.ValuesFieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteLength(packed);
            for (var i = 0; i < keys.Length; i++)
            {
                output.WriteUInt64(first[i]);
                if (columns == 2)
                {
                    output.WriteUInt64(second[i]);
                }
            }
        }

        output.Flush();
        return _buffer.AsMemory(0, (int)output.Position);
    }

    /// <summary>UTF-8 bytes of a key or probe name, encoded once by the caller and reused every second.</summary>
    public static ByteString Utf8(string text) => ByteString.CopyFromUtf8(text);

    private static int Field(int number) => CodedOutputStream.ComputeTagSize(number);
}
