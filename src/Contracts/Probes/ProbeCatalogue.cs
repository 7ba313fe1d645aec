using System.Collections.Frozen;

namespace Tracefleet.Contract.Probes;

/// <summary>
/// Every probe this process knows: the two built in (what an agent that sends no descriptor runs) and each one learnt
/// from a descriptor since (<see cref="Register"/>). Process-wide and grow-only: a probe once known keeps its definition
/// and its <see cref="IdOf">stored id</see>, so readers may hold on to what they got. Thread-safe; reads take no lock.
/// </summary>
public static class ProbeCatalogue
{
    /// <summary>The most probes one process knows; past it a new one is refused, so no agent can grow this without bound.</summary>
    public const int MaxProbes = 64;

    private static readonly Lock Gate = new();
    private static volatile Known _known;

    static ProbeCatalogue()
    {
        _known = Known.Of([PageFaults, Kmem]);
    }

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

    /// <summary>Every known probe: the built-in ones first, then the others by name.</summary>
    public static IReadOnlyList<ProbeDefinition> All => _known.All;

    /// <summary>Every value column of every probe, in the order of <see cref="All"/> and then of each probe's columns: faults, allocs, frees, ….</summary>
    public static IReadOnlyList<ValueColumn> AllColumns => _known.Columns;

    /// <summary>The names of every probe, comma-separated, for messages that list what is known.</summary>
    public static string Names => _known.Names;

    /// <summary>The probe of that exact wire name, or null.</summary>
    public static ProbeDefinition? Find(string? name) => name is not null && _known.ByName.TryGetValue(name, out var probe) ? probe : null;

    /// <summary>The probe stored under <paramref name="id"/>, or null.</summary>
    public static ProbeDefinition? FindById(int id) => _known.ById.TryGetValue(id, out var probe) ? probe : null;

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

    /// <summary>
    /// Null when <see cref="Register"/> would take <paramref name="probe"/> (known with the same shape, or new and within the
    /// rules); otherwise why not. Lets a caller keep a new probe somewhere first and register it after.
    /// </summary>
    public static string? Check(ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (Find(probe.Name) is { } known)
        {
            return SameShape(known, probe, out var problem) ? null : problem;
        }

        return ProbeDefinitionRules.Check(probe) is { } invalid ? $"probe {probe.Name}: {invalid}" : Conflict(_known, probe);
    }

    /// <summary>
    /// Makes <paramref name="probe"/> known. The first definition of a name stays: a later one with the same value
    /// columns (names in order), key noun and net column is the same probe (titles and wording may differ between agent
    /// versions) and gets the known definition back; one that differs in them is refused.
    /// </summary>
    /// <returns>The definition to use, or null with <paramref name="problem"/> saying why it was refused.</returns>
    public static ProbeDefinition? Register(ProbeDefinition probe, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (Find(probe.Name) is { } known)
        {
            return SameShape(known, probe, out problem) ? known : null;
        }

        if (ProbeDefinitionRules.Check(probe) is { } invalid)
        {
            problem = $"probe {probe.Name}: {invalid}";
            return null;
        }

        lock (Gate)
        {
            if (Find(probe.Name) is { } raced)
            {
                return SameShape(raced, probe, out problem) ? raced : null;
            }

            problem = Conflict(_known, probe);
            if (problem is not null)
            {
                return null;
            }

            _known = Known.Of([.. _known.All, probe]);
            return probe;
        }
    }

    /// <summary>What stops <paramref name="probe"/> from joining the known ones: a full catalogue, or a name another probe already has.</summary>
    private static string? Conflict(Known known, ProbeDefinition probe)
    {
        if (known.All.Count >= MaxProbes)
        {
            return $"probe {probe.Name}: this server already knows {MaxProbes} probes, the most it takes";
        }

        var id = IdOf(probe.Name);
        if (known.ById.TryGetValue(id, out var other))
        {
            return $"probe {probe.Name}: its stored number {id} is already {other.Name}'s; rename one of them";
        }

        foreach (var existing in known.All)
        {
            if (string.Equals(existing.TopField, probe.TopField, StringComparison.Ordinal))
            {
                return $"probe {probe.Name}: fleet summaries already name {existing.Name}'s busiest key {probe.TopField}; choose another name";
            }

            foreach (var column in probe.Columns)
            {
                if (existing.Columns.FirstOrDefault(c => c.Name == column.Name) is { } same && same != column)
                {
                    return $"probe {probe.Name}: column \"{column.Name}\" is already {existing.Name}'s with another meaning (fleet summaries name totals by column); rename it or give it the same unit and meaning";
                }
            }
        }

        return null;
    }

    // The busiest key's field is not compared: no descriptor or wire message carries it, so a descriptor of a built-in
    // derives "topPagefaults" from its name where the catalogue's entry, which is the one kept, says "topFile".
    private static bool SameShape(ProbeDefinition known, ProbeDefinition probe, out string? problem)
    {
        var same = known.Columns.Select(c => c.Name).SequenceEqual(probe.Columns.Select(c => c.Name), StringComparer.Ordinal)
            && string.Equals(known.Key.Noun, probe.Key.Noun, StringComparison.Ordinal)
            && string.Equals(known.Net?.Name, probe.Net?.Name, StringComparison.Ordinal)
            && string.Equals(known.Net?.Plus.Name, probe.Net?.Plus.Name, StringComparison.Ordinal)
            && string.Equals(known.Net?.Minus.Name, probe.Net?.Minus.Name, StringComparison.Ordinal);
        problem = same
            ? null
            : $"probe {probe.Name} is known with columns {string.Join(", ", known.Columns.Select(c => c.Name))} keyed by {known.Key.Noun}; "
                + $"this descriptor has {string.Join(", ", probe.Columns.Select(c => c.Name))} keyed by {probe.Key.Noun}: give a changed probe a new name";
        return same;
    }

    /// <summary>One immutable view of what is known, swapped whole when a probe joins.</summary>
    private sealed record Known(
        IReadOnlyList<ProbeDefinition> All,
        IReadOnlyList<ValueColumn> Columns,
        FrozenDictionary<string, ProbeDefinition> ByName,
        FrozenDictionary<int, ProbeDefinition> ById,
        string Names)
    {
        public static Known Of(IReadOnlyList<ProbeDefinition> probes)
        {
            IReadOnlyList<ProbeDefinition> all = [.. probes.Take(2), .. probes.Skip(2).OrderBy(p => p.Name, StringComparer.Ordinal)];
            return new(
                all,
                [.. all.SelectMany(p => p.Columns)],
                all.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal),
                all.ToFrozenDictionary(p => IdOf(p.Name)),
                string.Join(", ", all.Select(p => p.Name)));
        }
    }
}
