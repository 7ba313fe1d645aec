using System.Globalization;

namespace Tracefleet.Web.Services;

/// <summary>
/// Sorting a top table by a column: a value column by its position in the probe's columns (<c>first</c>, <c>second</c>,
/// …), <c>net</c>, or <c>key</c>; the URL's <c>sort=</c> carries these names.
/// </summary>
public static class TableSort
{
    public const string Net = "net";
    public const string Key = "key";

    private static readonly string[] Positions = ["first", "second", "third", "fourth"];

    private static readonly Comparer<IReadOnlyList<ulong>> ValuesInOrder = Comparer<IReadOnlyList<ulong>>.Create((a, b) =>
    {
        for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            var order = (i < a.Count ? a[i] : 0).CompareTo(i < b.Count ? b[i] : 0);
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    });

    /// <summary>The sort name of the value column at <paramref name="position"/>: <c>first</c>, <c>second</c>, …</summary>
    public static string ByPosition(int position) =>
        position < Positions.Length ? Positions[position] : (position + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Numbers sort descending (busiest first, as the scripts' readers want), keys ascending; ties by key.</summary>
    public static IReadOnlyList<TableRow> Apply(IEnumerable<TableRow> rows, string? column)
    {
        var position = PositionOf(column);
        return column switch
        {
            Net => [.. rows.OrderByDescending(r => r.Net).ThenBy(r => r.Key, StringComparer.Ordinal)],
            Key => [.. rows.OrderBy(r => r.Key, StringComparer.Ordinal)],
            _ when position > 0 => [.. rows.OrderByDescending(r => r.At(position)).ThenBy(r => r.Key, StringComparer.Ordinal)],
            // The first column, or a name this table does not have: by every value in column order, as the scripts sort.
            _ => [.. rows.OrderByDescending(r => r.Values, ValuesInOrder).ThenBy(r => r.Key, StringComparer.Ordinal)],
        };
    }

    private static int PositionOf(string? column) =>
        column is null ? 0
        : Array.IndexOf(Positions, column) is var word and >= 0 ? word
        : int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > Positions.Length ? number - 1
        : -1;
}
