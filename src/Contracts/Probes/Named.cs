using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Tracefleet.Contract.Probes;

/// <summary>
/// Values each named by the JSON property that carries it (a <see cref="ValueColumn.Name"/>, a <see cref="ProbeDefinition.TopField"/>),
/// in the order they are written. Immutable; names are unique and compared ordinally; two are equal when they hold the same
/// names in the same order with equal values (lists compared item by item).
/// </summary>
public sealed class Named<T> : IReadOnlyList<KeyValuePair<string, T>>, IEquatable<Named<T>>
{
    private readonly KeyValuePair<string, T>[] _items;

    /// <summary>The values in <paramref name="items"/>' order.</summary>
    /// <exception cref="ArgumentException">A name is empty or given twice.</exception>
    public Named(IEnumerable<KeyValuePair<string, T>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in _items)
        {
            if (string.IsNullOrEmpty(name) || !seen.Add(name))
            {
                throw new ArgumentException($"names must be non-empty and unique; \"{name}\" is not", nameof(items));
            }
        }
    }

    public int Count => _items.Length;

    public KeyValuePair<string, T> this[int index] => _items[index];

    /// <summary>The value named <paramref name="name"/>, if there is one.</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out T value)
    {
        foreach (var item in _items)
        {
            if (string.Equals(item.Key, name, StringComparison.Ordinal))
            {
                value = item.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, T>>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(Named<T>? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < _items.Length; i++)
        {
            if (!string.Equals(_items[i].Key, other._items[i].Key, StringComparison.Ordinal) || !ValueEquals(_items[i].Value, other._items[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as Named<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (name, _) in _items)
        {
            hash.Add(name, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary><c>{ faults = 12 }</c>, lists as <c>[1, 2]</c>.</summary>
    public override string ToString() =>
        "{ " + string.Join(", ", _items.Select(i => $"{i.Key} = {(i.Value is IEnumerable list and not string ? "[" + string.Join(", ", list.Cast<object?>()) + "]" : i.Value)}")) + " }";

    private static bool ValueEquals(T a, T b) => (a, b) switch
    {
        (IEnumerable<ulong> x, IEnumerable<ulong> y) => x.SequenceEqual(y),
        (IEnumerable<ulong?> x, IEnumerable<ulong?> y) => x.SequenceEqual(y),
        _ => EqualityComparer<T>.Default.Equals(a, b),
    };
}
