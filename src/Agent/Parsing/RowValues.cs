using System.Runtime.CompilerServices;
using System.Text;

namespace Tracefleet.Agent.Parsing;

/// <summary>
/// A row's values, one per column of its probe (<see cref="Contract.Probes.ProbeDefinition.Columns"/>) and in that
/// order; at most <see cref="MaxCount"/>. Held inline, so a row costs no allocation of its own: the parser makes one
/// per line. Values past <see cref="Count"/> are zero. Compared by count and values.
/// </summary>
[CollectionBuilder(typeof(RowValues), nameof(Create))]
public readonly struct RowValues : IEquatable<RowValues>
{
    /// <summary>The most columns a probe may have; a catalogue entry with more fails every row at its first use.</summary>
    public const int MaxCount = 4;

    private readonly Buffer _values;

    private RowValues(Buffer values, int count)
    {
        _values = values;
        Count = count;
    }

    /// <summary>How many values the row carries: its probe's column count.</summary>
    public int Count { get; }

    /// <summary>The value of the column at <paramref name="index"/>; throws <see cref="ArgumentOutOfRangeException"/> past <see cref="Count"/>.</summary>
    public ulong this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _values[index];
        }
    }

    /// <summary>The values as given; throws <see cref="ArgumentException"/> for more than <see cref="MaxCount"/>.</summary>
    public static RowValues Create(ReadOnlySpan<ulong> values)
    {
        CheckCount(values.Length);
        var buffer = default(Buffer);
        values.CopyTo(buffer);
        return new RowValues(buffer, values.Length);
    }

    /// <summary><paramref name="count"/> values, all zero but <paramref name="value"/> at <paramref name="index"/> (a bpftrace map names one column).</summary>
    public static RowValues OnlyAt(int count, int index, ulong value)
    {
        CheckCount(count);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        var buffer = default(Buffer);
        buffer[index] = value;
        return new RowValues(buffer, count);
    }

    /// <summary>
    /// Column by column, saturating at <see cref="ulong.MaxValue"/>; throws <see cref="ArgumentException"/> when
    /// <paramref name="other"/> has another count (rows of two probes).
    /// </summary>
    public RowValues SaturatingAdd(RowValues other)
    {
        if (other.Count != Count)
        {
            throw new ArgumentException($"cannot add {other.Count} values to {Count}", nameof(other));
        }

        var sum = default(Buffer);
        for (var i = 0; i < Count; i++)
        {
            sum[i] = Columns.SaturatingAdd(_values[i], other._values[i]);
        }

        return new RowValues(sum, Count);
    }

    public Enumerator GetEnumerator() => new(this);

    public bool Equals(RowValues other)
    {
        if (other.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            if (_values[i] != other._values[i])
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is RowValues other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Count);
        for (var i = 0; i < Count; i++)
        {
            hash.Add(_values[i]);
        }

        return hash.ToHashCode();
    }

    /// <summary>The values as <c>[1, 2]</c>, for test output and logs.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < Count; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(_values[i]);
        }

        return text.Append(']').ToString();
    }

    public static bool operator ==(RowValues left, RowValues right) => left.Equals(right);

    public static bool operator !=(RowValues left, RowValues right) => !left.Equals(right);

    private static void CheckCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
    }

    /// <summary>Walks the values in column order.</summary>
    public struct Enumerator(RowValues values)
    {
        private int _index = -1;

        public readonly ulong Current => values[_index];

        public bool MoveNext() => ++_index < values.Count;
    }

    [InlineArray(MaxCount)]
    private struct Buffer
    {
        private ulong _element;
    }
}
