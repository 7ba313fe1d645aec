using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tracefleet.Contract;

namespace Tracefleet.Server.History.Encoding;

/// <summary>
/// A row's values, or sums of them, in the order of its probe's columns; how many count is the probe's
/// <see cref="Contract.Probes.ProbeDefinition.ValueCount"/>, and the places past them hold zero. Held inline at
/// <see cref="SnapshotRules.MaxValuesPerRow"/>, so reading, summing and ranking rows allocates nothing per row.
/// </summary>
public struct RowValues : IEquatable<RowValues>
{
    /// <summary>Places held: the most values a probe's row may carry.</summary>
    public const int MaxCount = SnapshotRules.MaxValuesPerRow;

    private Buffer _values;

    /// <summary>The value at <paramref name="index"/> (zero past the probe's columns); throws <see cref="IndexOutOfRangeException"/> outside 0..<see cref="MaxCount"/>-1.</summary>
    public ulong this[int index]
    {
        readonly get => _values[index];
        set => _values[index] = value;
    }

    /// <summary>The values as given, the rest zero; throws <see cref="ArgumentOutOfRangeException"/> for more than <see cref="MaxCount"/>.</summary>
    public static RowValues Of(params ReadOnlySpan<ulong> values)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(values.Length, MaxCount, nameof(values));
        var row = default(RowValues);
        values.CopyTo(row._values);
        return row;
    }

    /// <summary>The values of a list (a wire row's), the rest zero; throws <see cref="ArgumentOutOfRangeException"/> for more than <see cref="MaxCount"/>.</summary>
    public static RowValues Of(IReadOnlyList<ulong> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(values.Count, MaxCount, nameof(values));
        var row = default(RowValues);
        for (var i = 0; i < values.Count; i++)
        {
            row._values[i] = values[i];
        }

        return row;
    }

    /// <summary>Every place, in column order; the span lives as long as this value does.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<ulong> AsSpan() => _values;

    /// <summary>Adds <paramref name="values"/> place by place, saturating (<see cref="Counts.Add"/>).</summary>
    public void Add(ReadOnlySpan<ulong> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            _values[i] = Counts.Add(_values[i], values[i]);
        }
    }

    /// <summary>The first <paramref name="count"/> values (a probe's <see cref="Contract.Probes.ProbeDefinition.ValueCount"/>), as the API's records take them.</summary>
    public readonly ulong[] ToArray(int count) => AsSpan()[..count].ToArray();

    public readonly bool Equals(RowValues other) => AsSpan().SequenceEqual(other.AsSpan());

    public override readonly bool Equals(object? obj) => obj is RowValues other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(AsSpan()));
        return hash.ToHashCode();
    }

    /// <summary>Every place, the zeros past a probe's columns too, as <c>[1, 0, …]</c>, for test output and logs.</summary>
    public override readonly string ToString() => $"[{string.Join(", ", AsSpan().ToArray())}]";

    public static bool operator ==(RowValues left, RowValues right) => left.Equals(right);

    public static bool operator !=(RowValues left, RowValues right) => !left.Equals(right);

    [InlineArray(MaxCount)]
    private struct Buffer
    {
        private ulong _element;
    }
}
