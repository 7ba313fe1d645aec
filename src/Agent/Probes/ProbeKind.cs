namespace Tracefleet.Agent.Probes;

/// <summary>The probes the agent can run: each stands for the entry at its position in <see cref="ProbeCatalogue.All"/>.</summary>
public enum ProbeKind
{
    PageFaults,
    Kmem,
}

public static class ProbeNames
{
    /// <summary>What the probe is: its wire name and value columns.</summary>
    public static ProbeDefinition Definition(this ProbeKind probe) =>
        (int)probe >= 0 && (int)probe < ProbeCatalogue.All.Count
            ? ProbeCatalogue.All[(int)probe]
            : throw new ArgumentOutOfRangeException(nameof(probe), probe, null);

    public static string Name(this ProbeKind probe) => probe.Definition().Name;

    /// <summary>The probe of a wire name, in any case and with spaces around it.</summary>
    public static bool TryParse(string name, out ProbeKind probe)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = ProbeCatalogue.Find(name.Trim().ToLowerInvariant()) is { } definition ? ProbeCatalogue.IndexOf(definition) : -1;
        probe = (ProbeKind)Math.Max(index, 0);
        return index >= 0;
    }
}
