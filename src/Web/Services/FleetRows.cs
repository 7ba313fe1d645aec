namespace Tracefleet.Web.Services;

/// <summary>A host as the fleet page shows it.</summary>
public sealed class FleetRow(string name)
{
    public const int SparklineSeconds = 60;

    public string Name { get; } = name;

    public string Os { get; set; } = "";

    public string Backend { get; set; } = "";

    public bool Online { get; set; }

    public bool Reporting { get; set; }

    public RollingSeries Faults { get; } = new(SparklineSeconds);

    public RollingSeries Allocs { get; } = new(SparklineSeconds);

    public string? TopFile { get; set; }

    public string? TopCache { get; set; }

    /// <summary>online: stored a snapshot in the last seconds; stale: connected (or just gone) but quiet; offline: no agent connected and quiet.</summary>
    public string Status => Reporting ? "online" : Online ? "stale" : "offline";
}

/// <summary>Sorting and filtering of the fleet table, by the names the URL carries (<c>sort=</c>, <c>filter=</c>).</summary>
public static class FleetRows
{
    public static readonly IReadOnlyList<string> Sorts = ["name", "status", "faults", "allocs"];

    public static IReadOnlyList<FleetRow> View(IEnumerable<FleetRow> rows, string? sort, string? filter)
    {
        var shown = string.IsNullOrWhiteSpace(filter)
            ? rows
            : rows.Where(r => r.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)
                              || r.Os.Contains(filter, StringComparison.OrdinalIgnoreCase)
                              || r.Backend.Contains(filter, StringComparison.OrdinalIgnoreCase));
        return sort switch
        {
            "status" => [.. shown.OrderBy(r => StatusOrder(r.Status)).ThenBy(r => r.Name, StringComparer.Ordinal)],
            "faults" => [.. shown.OrderByDescending(r => r.Faults.Last).ThenBy(r => r.Name, StringComparer.Ordinal)],
            "allocs" => [.. shown.OrderByDescending(r => r.Allocs.Last).ThenBy(r => r.Name, StringComparer.Ordinal)],
            _ => [.. shown.OrderBy(r => r.Name, StringComparer.Ordinal)],
        };
    }

    private static int StatusOrder(string status) => status switch { "online" => 0, "stale" => 1, _ => 2 };
}
