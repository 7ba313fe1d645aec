using Tracefleet.Contract.V1;

namespace Tracefleet.Contract;

/// <summary>
/// A snapshot's table in the columnar form: <see cref="Snapshot.Keys"/> and <see cref="Snapshot.Values"/>, row i being
/// key i with values [i × width, (i + 1) × width), width the probe's column count. Agents send it and the server works on
/// it from admission to every sink: no message, value list or key object per row. The row form of older agents is moved
/// into it once, on arrival (<see cref="FromRows"/>).
/// </summary>
public static class SnapshotColumns
{
    /// <summary>True when the snapshot carries its table as <see cref="Snapshot.Rows"/> (an older agent's form).</summary>
    public static bool IsRowForm(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Rows.Count > 0;
    }

    /// <summary>
    /// Null when the table's shape fits <paramref name="width"/> values a row: one form only, every row of the row form
    /// <paramref name="width"/> wide, the columnar form's values keys × <paramref name="width"/> long. Otherwise what is
    /// wrong, in plain words.
    /// </summary>
    public static string? CheckShape(Snapshot snapshot, int width)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (IsRowForm(snapshot))
        {
            if (snapshot.Keys.Count > 0 || snapshot.Values.Count > 0)
            {
                return $"snapshot {snapshot.Sequence}: carries both rows and keys/values; a snapshot is sent in one form";
            }

            foreach (var row in snapshot.Rows)
            {
                if (row.Values.Count != width)
                {
                    return $"snapshot {snapshot.Sequence}: a {snapshot.Probe} row has {width} values, not {row.Values.Count}";
                }
            }

            return null;
        }

        return (long)snapshot.Keys.Count * width == snapshot.Values.Count
            ? null
            : $"snapshot {snapshot.Sequence}: {snapshot.Keys.Count} keys of {snapshot.Probe} take {(long)snapshot.Keys.Count * width} values ({width} a key), not {snapshot.Values.Count}";
    }

    /// <summary>
    /// Moves a row-form table into <see cref="Snapshot.Keys"/> and <see cref="Snapshot.Values"/> in its order, the rows
    /// emptied; a columnar table is left as it is. The table must have passed <see cref="CheckShape"/>.
    /// </summary>
    public static void FromRows(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var rows = snapshot.Rows;
        if (rows.Count == 0)
        {
            return;
        }

        snapshot.Keys.Capacity = rows.Count;
        snapshot.Values.Capacity = rows.Count * rows[0].Values.Count;
        foreach (var row in rows)
        {
            snapshot.Keys.Add(row.Key);
            snapshot.Values.AddRange(row.Values);
        }

        rows.Clear();
    }

    /// <summary>Values a row of a columnar table: values over keys; 0 for an empty table.</summary>
    public static int Width(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Width(snapshot.Keys, snapshot.Values);
    }

    /// <summary>Values a row of the columnar table <paramref name="keys"/>, <paramref name="values"/>: values over keys; 0 for an empty table.</summary>
    public static int Width(IReadOnlyCollection<string> keys, IReadOnlyCollection<ulong> values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        return keys.Count == 0 ? 0 : values.Count / keys.Count;
    }

    /// <summary>Copies row <paramref name="row"/>'s values into <paramref name="destination"/> (the table's width long).</summary>
    public static void CopyRow(Snapshot snapshot, int row, Span<ulong> destination)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        CopyRow(snapshot.Values, row, destination);
    }

    /// <summary>Copies row <paramref name="row"/> of row-major <paramref name="values"/>, as wide as <paramref name="destination"/>, into it.</summary>
    public static void CopyRow(IReadOnlyList<ulong> values, int row, Span<ulong> destination)
    {
        ArgumentNullException.ThrowIfNull(values);
        var start = row * destination.Length;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = values[start + i];
        }
    }

    /// <summary>
    /// The busiest-first order (<see cref="BusiestFirst"/>, then key) of rows <paramref name="a"/> and <paramref name="b"/>
    /// of a columnar table <paramref name="width"/> wide.
    /// </summary>
    public static int Busier(Snapshot snapshot, int width, int a, int b)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var values = snapshot.Values;
        for (var i = 0; i < width; i++)
        {
            var c = values[(b * width) + i].CompareTo(values[(a * width) + i]);
            if (c != 0)
            {
                return c;
            }
        }

        return string.CompareOrdinal(snapshot.Keys[a], snapshot.Keys[b]);
    }

    /// <summary>
    /// Replaces the table with rows <paramref name="kept"/> of it (indexes, in the order given), then, when
    /// <paramref name="lastKey"/> is not empty, a row of it with the values <paramref name="last"/>.
    /// </summary>
    public static void Keep(Snapshot snapshot, IReadOnlyList<int> kept, string lastKey, ReadOnlySpan<ulong> last)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(kept);
        var width = Width(snapshot);
        var keys = snapshot.Keys.ToArray();
        var values = snapshot.Values.ToArray();
        snapshot.Keys.Clear();
        snapshot.Values.Clear();
        foreach (var i in kept)
        {
            snapshot.Keys.Add(keys[i]);
            Append(snapshot, values.AsSpan(i * width, width));
        }

        if (lastKey.Length > 0)
        {
            snapshot.Keys.Add(lastKey);
            Append(snapshot, last);
        }
    }

    private static void Append(Snapshot snapshot, ReadOnlySpan<ulong> values)
    {
        foreach (var value in values)
        {
            snapshot.Values.Add(value);
        }
    }

    /// <summary>Adds row <paramref name="row"/>'s values into <paramref name="sums"/> (saturating).</summary>
    public static void AddInto(Snapshot snapshot, int row, Span<ulong> sums)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var values = snapshot.Values;
        var start = row * sums.Length;
        for (var i = 0; i < sums.Length; i++)
        {
            sums[i] = Counts.Add(sums[i], values[start + i]);
        }
    }
}
