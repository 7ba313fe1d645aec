using Tracefleet.Contract;

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

    /// <summary>The last minute of per-second totals of each probe's ranked column (faults, allocs), oldest first.</summary>
    public IReadOnlyDictionary<ValueColumn, RollingSeries> PerSecond { get; } =
        ProbeCatalogue.All.ToDictionary(p => p.RankedBy, _ => new RollingSeries(SparklineSeconds));

    /// <summary>
    /// The names of the probes the host runs (the fleet summary's <c>probes</c>); null until the summary has said, and until
    /// then every probe counts as run.
    /// </summary>
    public IReadOnlySet<string>? Probes { get; set; }

    /// <summary>Each probe's busiest key of the host's latest snapshots; absent or null until it has one.</summary>
    public Dictionary<ProbeDefinition, string?> TopKeys { get; } = [];

    /// <summary>Each probe's busiest key of the host's latest snapshots that names something (<see cref="UnnamedKeys"/>); absent or null until it has one.</summary>
    public Dictionary<ProbeDefinition, string?> TopNamedKeys { get; } = [];

    /// <summary>False when the fleet summary said the host does not run <paramref name="probe"/>: its zeros mean "not run", not "idle".</summary>
    public bool Runs(ProbeDefinition probe) => Probes is null || Probes.Contains(probe.Name);

    /// <summary>
    /// The busiest key of <paramref name="probe"/> as the fleet table shows it: the busiest key, and when that names nothing
    /// (<c>???</c>) the busiest that does beside it (<c>??? · libc.so.6</c>), so anonymous memory does not hide the busiest file.
    /// Empty when there is none.
    /// </summary>
    public IReadOnlyList<string> TopKeyParts(ProbeDefinition probe)
    {
        var top = TopKeys.GetValueOrDefault(probe);
        var named = TopNamedKeys.GetValueOrDefault(probe);
        return top is null ? []
            : UnnamedKeys.Contains(top) && named is not null && named != top ? [top, named]
            : [top];
    }

    /// <summary>online: stored a snapshot in the last seconds; stale: connected (or just gone) but quiet; offline: no agent connected and quiet.</summary>
    public string Status => Reporting ? "online" : Online ? "stale" : "offline";
}

/// <summary>
/// Sorting and filtering of the fleet table, by the names the URL carries (<c>sort=</c>, <c>filter=</c>): by name, by
/// status, or by a sparkline's column name (busiest last second first).
/// </summary>
public static class FleetRows
{
    public static readonly IReadOnlyList<string> Sorts = ["name", "status", .. ProbeCatalogue.All.Select(p => p.RankedBy.Name)];

    public static IReadOnlyList<FleetRow> View(IEnumerable<FleetRow> rows, string? sort, string? filter)
    {
        var shown = string.IsNullOrWhiteSpace(filter)
            ? rows
            : rows.Where(r => r.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)
                              || r.Os.Contains(filter, StringComparison.OrdinalIgnoreCase)
                              || r.Backend.Contains(filter, StringComparison.OrdinalIgnoreCase));
        var column = ProbeCatalogue.All.Select(p => p.RankedBy).FirstOrDefault(c => c.Name == sort);
        return sort switch
        {
            "status" => [.. shown.OrderBy(r => StatusOrder(r.Status)).ThenBy(r => r.Name, StringComparer.Ordinal)],
            _ when column is not null => [.. shown.OrderByDescending(r => r.PerSecond[column].Last).ThenBy(r => r.Name, StringComparer.Ordinal)],
            _ => [.. shown.OrderBy(r => r.Name, StringComparer.Ordinal)],
        };
    }

    private static int StatusOrder(string status) => status switch { "online" => 0, "stale" => 1, _ => 2 };
}
