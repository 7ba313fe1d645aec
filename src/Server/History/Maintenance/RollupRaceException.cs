namespace Tracefleet.Server.History.Maintenance;

/// <summary>A rollup pass found the progress mark moved under it (another server on the same database rolled up first).</summary>
public sealed class RollupRaceException(long mark)
    : InvalidOperationException($"rollup progress moved past {mark} during the pass; another server rolled these snapshots up")
{
}
