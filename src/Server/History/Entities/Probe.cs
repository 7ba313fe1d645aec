namespace Tracefleet.Server.History.Entities;

/// <summary>
/// A probe as the store keeps it: its position in <see cref="ProbeCatalogue.All"/> (0 = pagefaults, 1 = kmem), an
/// integer column. Everything else about it comes from the catalogue, so a probe added there needs nothing here.
/// The default value is the catalogue's first probe.
/// </summary>
public readonly record struct Probe
{
    private Probe(int index) => Index = index;

    /// <summary>Every catalogue probe, in its order.</summary>
    public static IReadOnlyList<Probe> All { get; } = [.. Enumerable.Range(0, ProbeCatalogue.All.Count).Select(i => new Probe(i))];

    /// <summary>The stored integer: the position in <see cref="ProbeCatalogue.All"/>.</summary>
    public int Index { get; }

    /// <summary>What the probe is: its wire name and value columns.</summary>
    public ProbeDefinition Definition => ProbeCatalogue.All[Index];

    public string Name => Definition.Name;

    /// <summary>How many values a row of this probe carries.</summary>
    public int ValueCount => Definition.ValueCount;

    /// <summary>The catalogue's <paramref name="definition"/>; throws <see cref="ArgumentException"/> for a probe that is not in it.</summary>
    public static Probe Of(ProbeDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var index = ProbeCatalogue.IndexOf(definition);
        return index >= 0 ? new Probe(index) : throw new ArgumentException($"probe {definition.Name} is not in the catalogue", nameof(definition));
    }

    /// <summary>The probe stored as <paramref name="index"/>; throws <see cref="InvalidDataException"/> for a number no catalogue probe has.</summary>
    public static Probe FromStored(long index) =>
        index >= 0 && index < ProbeCatalogue.All.Count ? new Probe((int)index) : throw new InvalidDataException($"stored probe {index} is none of {ProbeCatalogue.Names}");

    /// <summary>The probe of that exact wire name; false when the catalogue has none.</summary>
    public static bool TryParse(string? name, out Probe probe)
    {
        var index = ProbeCatalogue.Find(name) is { } definition ? ProbeCatalogue.IndexOf(definition) : -1;
        probe = index >= 0 ? new Probe(index) : default;
        return index >= 0;
    }

    public override string ToString() => Name;
}
