using System.Runtime.CompilerServices;
using System.Text;
using Tracefleet.Contract;

namespace Tracefleet.Agent.Parsing;

/// <summary>
/// A row's values in the order of its probe's columns (<see cref="Contract.Probes.ProbeDefinition.Columns"/>); how many
/// there are is the probe's <see cref="Contract.Probes.ProbeDefinition.ValueCount"/>, and the places past them hold
/// zero. Held inline at the width the server stores (<see cref="SnapshotRules.MaxValuesPerRow"/>), so a row costs no
/// allocation of its own: the parser makes one per line, and tables of thousands of rows are listed once a second.
/// </summary>
[CollectionBuilder(typeof(RowValues), nameof(Create))]
public readonly struct RowValues : IEquatable<RowValues>
{
    /// <summary>The most columns a probe may have, as many as the server stores per row (a test holds the catalogue to it).</summary>
    public const int MaxCount = SnapshotRules.MaxValuesPerRow;

    private readonly Buffer _values;

    private RowValues(Buffer values) => _values = values;

    /// <summary>The value of the column at <paramref name="index"/> (zero past the probe's columns); throws <see cref="ArgumentOutOfRangeException"/> outside 0..<see cref="MaxCount"/>-1.</summary>
    public ulong this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxCount);
            return _values[index];
        }
    }

    /// <summary>The values as given, the rest zero; throws <see cref="ArgumentException"/> for more than <see cref="MaxCount"/>.</summary>
    public static RowValues Create(ReadOnlySpan<ulong> values)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(values.Length, MaxCount, nameof(values));
        var buffer = default(Buffer);
        values.CopyTo(buffer);
        return new RowValues(buffer);
    }

    /// <summary>All zero but <paramref name="value"/> at <paramref name="index"/> (a bpftrace map names one column).</summary>
    public static RowValues OnlyAt(int index, ulong value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxCount);
        var buffer = default(Buffer);
        buffer[index] = value;
        return new RowValues(buffer);
    }

    /// <summary>Column by column, saturating at <see cref="ulong.MaxValue"/>.</summary>
    public RowValues SaturatingAdd(RowValues other)
    {
        var sum = default(Buffer);
        for (var i = 0; i < MaxCount; i++)
        {
            sum[i] = Columns.SaturatingAdd(_values[i], other._values[i]);
        }

        return new RowValues(sum);
    }

    public Enumerator GetEnumerator() => new(this);

    public bool Equals(RowValues other)
    {
        for (var i = 0; i < MaxCount; i++)
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
        for (var i = 0; i < MaxCount; i++)
        {
            hash.Add(_values[i]);
        }

        return hash.ToHashCode();
    }

    /// <summary>Every place, the zeros past a probe's columns too, as <c>[1, 0, 0, 0]</c>, for test output and logs.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < MaxCount; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(_values[i]);
        }

        return text.Append(']').ToString();
    }

    public static bool operator ==(RowValues left, RowValues right) => left.Equals(right);

    public static bool operator !=(RowValues left, RowValues right) => !left.Equals(right);

    /// <summary>Walks all <see cref="MaxCount"/> places in column order (only collection expressions need it).</summary>
    public struct Enumerator(RowValues values)
    {
        private int _index = -1;

        public readonly ulong Current => values[_index];

        public bool MoveNext() => ++_index < MaxCount;
    }

    [InlineArray(MaxCount)]
    private struct Buffer
    {
        private ulong _element;
    }
}
