namespace Tracefleet.Server.History.Encoding;

/// <summary>A growable byte buffer for varints; reused by one thread to avoid an allocation per blob.</summary>
public sealed class PackedWriter
{
    private byte[] _buffer = new byte[4096];
    private int _length;

    private PackedWriter? _side;

    /// <summary>A second buffer kept with this one, for a section written before the bytes that precede it (see <see cref="RollupPayload"/>).</summary>
    public PackedWriter Side => _side ??= new PackedWriter();

    public void Reset() => _length = 0;

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Byte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void Varint(ulong value)
    {
        Ensure(Encoding.Varint.MaxBytes);
        _length += Encoding.Varint.Write(_buffer.AsSpan(_length), value);
    }

    /// <summary>A non-negative long (a rollup's sample count); a negative one cannot occur and is stored as 0.</summary>
    public void Varint(long value) => Varint((ulong)Math.Max(0, value));

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    /// <summary>The bytes written since <see cref="Reset"/>; valid until the next write.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
