using System.ComponentModel.DataAnnotations;

namespace Tracefleet.Server.Metrics;

/// <summary>Configuration section <c>Metrics</c>: what <c>GET /metrics</c> exposes per host and probe.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Keys exported per host and probe: the busiest of the window. Each is a series in Prometheus, so keep it small.</summary>
    [Range(0, 1000)]
    public int TopKeys { get; set; } = 10;

    /// <summary>The window that decides which keys are the busiest, by when the server stored their snapshots.</summary>
    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;
}
