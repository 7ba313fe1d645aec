namespace Tracefleet.Web.Services;

/// <summary>Sorting a top table by a column: <c>first</c> (faults or allocs), <c>second</c> (frees), <c>net</c>, or <c>key</c>.</summary>
public static class TableSort
{
    public static readonly IReadOnlyList<string> Columns = ["first", "second", "net", "key"];

    /// <summary>Numbers sort descending (busiest first, as the scripts' readers want), keys ascending; ties by key.</summary>
    public static IReadOnlyList<KeyRow> Apply(IEnumerable<KeyRow> rows, string? column) => column switch
    {
        "second" => [.. rows.OrderByDescending(r => r.Second).ThenBy(r => r.Key, StringComparer.Ordinal)],
        "net" => [.. rows.OrderByDescending(r => r.Net).ThenBy(r => r.Key, StringComparer.Ordinal)],
        "key" => [.. rows.OrderBy(r => r.Key, StringComparer.Ordinal)],
        _ => [.. rows.OrderByDescending(r => r.First).ThenByDescending(r => r.Second).ThenBy(r => r.Key, StringComparer.Ordinal)],
    };
}
