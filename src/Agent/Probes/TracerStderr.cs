namespace Tracefleet.Agent.Probes;

/// <summary>Tells a tracer's warnings from its errors; only errors become a probe's "last error".</summary>
public static class TracerStderr
{
    public static bool IsNoise(string line) =>
        line.Contains("WARNING", StringComparison.OrdinalIgnoreCase)
        // DTrace: "dtrace: 12 dynamic variable drops" — data loss worth a warning, not a failure.
        || line.Contains("drops", StringComparison.Ordinal)
        // bpftrace without CAP_SYS_RESOURCE (containers) says "ERROR: ... couldn't set RLIMIT_MEMLOCK" and works anyway.
        || line.Contains("RLIMIT_MEMLOCK", StringComparison.Ordinal);
}
