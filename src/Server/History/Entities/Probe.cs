namespace Tracefleet.Server.History.Entities;

/// <summary>The probes the server knows, stored as small integers: each its position in <see cref="ProbeCatalogue.All"/>.</summary>
public enum Probe
{
    PageFaults = 0,
    Kmem = 1,
}

public static class ProbeNames
{
    /// <summary>What the probe is: its wire name and value columns.</summary>
    public static ProbeDefinition Definition(this Probe probe) => ProbeCatalogue.All[(int)probe];

    public static string Name(this Probe probe) => probe.Definition().Name;

    public static bool TryParse(string? name, out Probe probe)
    {
        var index = ProbeCatalogue.Find(name) is { } definition ? ProbeCatalogue.IndexOf(definition) : -1;
        probe = (Probe)index;
        return index >= 0;
    }

    /// <summary>How many values a row of this probe carries.</summary>
    public static int ValueCount(this Probe probe) => probe.Definition().ValueCount;
}
