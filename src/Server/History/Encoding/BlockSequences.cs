using System.Buffers.Binary;

namespace Tracefleet.Server.History.Encoding;

/// <summary>One snapshot's identity in a block: agent epoch, sequence and digest, as the Snapshots table kept them.</summary>
public readonly record struct SnapshotIdentity(long Epoch, long Sequence, long? Digest);

/// <summary>
/// The identities of a block's snapshots, in the block's order, kept beside its packed values and not compressed: the writer
/// reads them to recognise a resend of a snapshot that is no longer a row of its own. Layout: a format byte (1), the count
/// as a varint, then per snapshot the zigzag differences to the previous epoch and sequence as varints (the first against
/// 0) and a byte: 0, or 1 followed by the digest's 8 bytes, little-endian.
/// </summary>
public static class BlockSequences
{
    private const byte Format = 1;

    public static byte[] Encode(PackedWriter writer, IReadOnlyList<PackedSnapshot> snapshots)
    {
        writer.Reset();
        writer.Byte(Format);
        writer.Varint((ulong)snapshots.Count);
        long epoch = 0, sequence = 0;
        foreach (var snapshot in snapshots)
        {
            writer.Varint(ZigZag.Encode(snapshot.Epoch - epoch));
            writer.Varint(ZigZag.Encode(snapshot.Sequence - sequence));
            (epoch, sequence) = (snapshot.Epoch, snapshot.Sequence);
            if (snapshot.Digest is { } digest)
            {
                writer.Byte(1);
                for (var i = 0; i < 8; i++)
                {
                    writer.Byte((byte)((ulong)digest >> (8 * i)));
                }
            }
            else
            {
                writer.Byte(0);
            }
        }

        return writer.ToArray();
    }

    /// <summary>Every identity, in the block's order; throws <see cref="InvalidDataException"/> for a blob no release wrote.</summary>
    public static List<SnapshotIdentity> Decode(ReadOnlySpan<byte> blob)
    {
        var position = 0;
        if (blob.IsEmpty || blob[position++] != Format)
        {
            throw new InvalidDataException("not a block's sequences (format byte)");
        }

        var count = (int)Varint.Read(blob, ref position);
        var identities = new List<SnapshotIdentity>(count);
        long epoch = 0, sequence = 0;
        for (var i = 0; i < count; i++)
        {
            epoch += ZigZag.Decode(Varint.Read(blob, ref position));
            sequence += ZigZag.Decode(Varint.Read(blob, ref position));
            long? digest = null;
            if (blob[position++] == 1)
            {
                digest = BinaryPrimitives.ReadInt64LittleEndian(blob.Slice(position, 8));
                position += 8;
            }

            identities.Add(new SnapshotIdentity(epoch, sequence, digest));
        }

        return identities;
    }
}

/// <summary>Zigzag: signed differences as unsigned varints, small either side of zero (as protobuf's sint64).</summary>
public static class ZigZag
{
    public static ulong Encode(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static long Decode(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
