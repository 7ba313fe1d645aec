namespace Tracefleet.Server.History.Entities;

/// <summary>The probes the server knows, stored as small integers.</summary>
public enum Probe
{
    PageFaults = 0,
    Kmem = 1,
}

public static class ProbeNames
{
    public const string PageFaults = "pagefaults";
    public const string Kmem = "kmem";

    public static string Name(this Probe probe) => probe == Probe.Kmem ? Kmem : PageFaults;

    public static bool TryParse(string? name, out Probe probe)
    {
        probe = name switch { PageFaults => Probe.PageFaults, Kmem => Probe.Kmem, _ => (Probe)(-1) };
        return probe >= 0;
    }

    /// <summary>How many values a row of this probe carries.</summary>
    public static int ValueCount(this Probe probe) => probe == Probe.Kmem ? 2 : 1;
}
