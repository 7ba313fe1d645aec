namespace Tracefleet.Agent.Probes;

/// <summary>The two questions Tracefleet answers, by their wire names.</summary>
public enum ProbeKind
{
    /// <summary>Page faults by mapped file ("pagefaults"); one value: faults.</summary>
    PageFaults,

    /// <summary>Kernel memory cache activity ("kmem"); two values: allocs, frees.</summary>
    Kmem,
}

public static class ProbeNames
{
    public const string PageFaults = "pagefaults";
    public const string Kmem = "kmem";

    public static string Name(this ProbeKind probe) => probe switch
    {
        ProbeKind.PageFaults => PageFaults,
        ProbeKind.Kmem => Kmem,
        _ => throw new ArgumentOutOfRangeException(nameof(probe), probe, null),
    };

    public static bool TryParse(string name, out ProbeKind probe)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case PageFaults:
                probe = ProbeKind.PageFaults;
                return true;
            case Kmem:
                probe = ProbeKind.Kmem;
                return true;
            default:
                probe = default;
                return false;
        }
    }
}
