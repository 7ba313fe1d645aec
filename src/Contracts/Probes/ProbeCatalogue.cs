namespace Tracefleet.Contract.Probes;

/// <summary>
/// Every probe this process knows: the two built in (what an agent that sends no descriptor runs) and each one learnt
/// from a descriptor since (<see cref="Register"/>), held by one process-wide <see cref="ProbeRegistry"/>. Grow-only: a
/// probe once known keeps its definition and its <see cref="IdOf">stored id</see>, so readers may hold on to what they got.
/// </summary>
public static class ProbeCatalogue
{
    /// <summary>The most probes one process knows; past it a new one is refused, so no agent can grow this without bound.</summary>
    public const int MaxProbes = 64;

    public static ValueColumn Faults { get; } = new("faults", "faults", "Page faults");

    public static ValueColumn Allocs { get; } = new("allocs", "allocations", "Allocations");

    public static ValueColumn Frees { get; } = new("frees", "frees", "Frees");

    /// <summary>Built in (<c>scripts/probes/pagefaults.probe.yaml</c>): page faults per mapped file.</summary>
    public static ProbeDefinition PageFaults { get; } = new(
        "pagefaults", "page faults by file", new("mapped file", "file", "VMFILE", "VNODE"), [Faults])
    {
        TopField = "topFile",
    };

    /// <summary>Built in (<c>scripts/probes/kmem.probe.yaml</c>): slab cache allocations and frees per cache.</summary>
    public static ProbeDefinition Kmem { get; } = new(
        "kmem", "allocs and frees by cache", new("kernel memory cache", "cache", "SLAB", "SLAB"), [Allocs, Frees], new("net", Allocs, Frees))
    {
        TopField = "topCache",
    };

    /// <summary>The built-in probes, by stored id: pagefaults 0, kmem 1.</summary>
    public static IReadOnlyList<ProbeDefinition> BuiltIn { get; } = [PageFaults, Kmem];

    /// <summary>The process-wide registry every part of Tracefleet reads.</summary>
    public static ProbeRegistry Shared { get; } = new(BuiltIn, MaxProbes);

    /// <summary>Every known probe: the built-in ones first, then the others by name.</summary>
    public static IReadOnlyList<ProbeDefinition> All => Shared.All;

    /// <summary>Every value column of every probe, in the order of <see cref="All"/> and then of each probe's columns: faults, allocs, frees, ….</summary>
    public static IReadOnlyList<ValueColumn> AllColumns => Shared.AllColumns;

    /// <summary>The names of every probe, comma-separated, for messages that list what is known.</summary>
    public static string Names => Shared.Names;

    /// <summary>The probe of that exact wire name, or null.</summary>
    public static ProbeDefinition? Find(string? name) => Shared.Find(name);

    /// <summary>The probe stored under <paramref name="id"/>, or null.</summary>
    public static ProbeDefinition? FindById(int id) => Shared.FindById(id);

    /// <inheritdoc cref="ProbeRegistry.Check"/>
    public static string? Check(ProbeDefinition probe) => Shared.Check(probe);

    /// <inheritdoc cref="ProbeRegistry.Register"/>
    public static ProbeDefinition? Register(ProbeDefinition probe, out string? problem) => Shared.Register(probe, out problem);

    /// <summary>
    /// The number the store keeps for the probe: 0 for pagefaults, 1 for kmem (what they always were), and for any other
    /// a number from its name alone (32-bit FNV-1a, folded into 2..2^31−1), so every server and every process agrees on it
    /// without asking a table. Two names giving one number are refused at <see cref="Register"/>.
    /// </summary>
    public static int IdOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < BuiltIn.Count; i++)
        {
            if (string.Equals(BuiltIn[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        var id = (int)(hash & int.MaxValue);
        return id < BuiltIn.Count ? id + BuiltIn.Count : id;
    }
}
