using Tracefleet.Contract;

namespace Tracefleet.Web.Services;

/// <summary>A time × key grid: <see cref="Cells"/>[row][column] is the sum (saturating) of the key in that column's time span.</summary>
public sealed record HeatmapGrid(IReadOnlyList<string> Keys, IReadOnlyList<DateTime> ColumnStarts, TimeSpan ColumnWidth, ulong[][] Cells, ulong Max)
{
    /// <summary>The shade of a cell, 0 (nothing) to <paramref name="levels"/> (the grid's maximum), on a linear scale.</summary>
    public int Level(ulong value, int levels) =>
        value == 0 || Max == 0 ? 0 : Math.Max(1, (int)Math.Ceiling((double)value * levels / Max));
}

/// <summary>Bins series points into a heatmap: one row per key, <c>columns</c> equal time spans over [from, to).</summary>
public static class HeatmapBins
{
    /// <summary>The grid of the points' values of <paramref name="value"/>.</summary>
    public static HeatmapGrid Build(ValueColumn value, IEnumerable<Series> series, IReadOnlyList<string> keys, DateTime from, DateTime to, int columns)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (columns <= 0 || to <= from)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), "a heatmap needs at least one column and from before to");
        }

        var width = (to - from) / columns;
        var rowOf = keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);
        var cells = keys.Select(_ => new ulong[columns]).ToArray();
        foreach (var s in series)
        {
            if (s.Key is null || !rowOf.TryGetValue(s.Key, out var row))
            {
                continue;
            }

            foreach (var point in s.Points)
            {
                if (point.T < from || point.T >= to)
                {
                    continue;
                }

                // Points from several hosts land in the same cell and add up.
                var column = Math.Min(columns - 1, (int)((point.T - from) / width));
                cells[row][column] = Counts.Add(cells[row][column], point.ValueOf(value) ?? 0);
            }
        }

        var max = cells.Length == 0 ? 0 : cells.Max(r => r.Length == 0 ? 0UL : r.Max());
        return new HeatmapGrid(keys, [.. Enumerable.Range(0, columns).Select(c => from + width * c)], width, cells, max);
    }
}
