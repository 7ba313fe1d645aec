namespace Tracefleet.Contract.Probes;

/// <summary>The built-in probes, the one place that says which values each carries and in which order.</summary>
public static class ProbeCatalogue
{
    public static ValueColumn Faults { get; } = new("faults", "faults", "Page faults");

    public static ValueColumn Allocs { get; } = new("allocs", "allocations", "Allocations");

    public static ValueColumn Frees { get; } = new("frees", "frees", "Frees");

    public static ProbeDefinition PageFaults { get; } = new(
        "pagefaults", "page faults by file", new("mapped file", "file", "VMFILE", "VNODE"), [Faults]);

    public static ProbeDefinition Kmem { get; } = new(
        "kmem", "allocs and frees by cache", new("kernel memory cache", "cache", "SLAB", "SLAB"), [Allocs, Frees], new("net", Allocs, Frees));

    /// <summary>
    /// Every probe. The order is part of the contract: the server stores a probe as its position here, so a new probe
    /// goes at the end.
    /// </summary>
    public static IReadOnlyList<ProbeDefinition> All { get; } = [PageFaults, Kmem];

    /// <summary>Every value column of every probe, in the order of <see cref="All"/> and then of each probe's columns: faults, allocs, frees.</summary>
    public static IReadOnlyList<ValueColumn> AllColumns { get; } = [.. All.SelectMany(p => p.Columns)];

    /// <summary>The names of every probe, comma-separated, for messages that list what is known.</summary>
    public static string Names { get; } = string.Join(", ", All.Select(p => p.Name));

    /// <summary>The probe of that exact wire name, or null.</summary>
    public static ProbeDefinition? Find(string? name)
    {
        foreach (var probe in All)
        {
            if (string.Equals(probe.Name, name, StringComparison.Ordinal))
            {
                return probe;
            }
        }

        return null;
    }

    /// <summary>The probe's position in <see cref="All"/> (as the server stores it), or -1 when it is none of them.</summary>
    public static int IndexOf(ProbeDefinition probe)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (ReferenceEquals(All[i], probe))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The column's position in <see cref="AllColumns"/>, or -1 when it is none of them.</summary>
    public static int IndexOf(ValueColumn column)
    {
        for (var i = 0; i < AllColumns.Count; i++)
        {
            if (AllColumns[i] == column)
            {
                return i;
            }
        }

        return -1;
    }
}
