namespace Tracefleet.Server.History.Entities;

/// <summary>
/// A probe as the store keeps it: an integer column holding <see cref="ProbeCatalogue.IdOf"/> of its name (0 =
/// pagefaults, 1 = kmem, any other a number from its name). What it is comes from the catalogue, which the server fills
/// from the descriptors it stored (<see cref="ProbeRecord"/>) before it reads history. The default value is pagefaults.
/// </summary>
public readonly record struct Probe
{
    private Probe(int id) => Id = id;

    /// <summary>Every probe the catalogue knows, in its order.</summary>
    public static IReadOnlyList<Probe> All => [.. ProbeCatalogue.All.Select(p => new Probe(ProbeCatalogue.IdOf(p.Name)))];

    /// <summary>The stored integer.</summary>
    public int Id { get; }

    /// <summary>What the probe is: its wire name and value columns.</summary>
    public ProbeDefinition Definition => ProbeCatalogue.FindById(Id) ?? throw new InvalidDataException($"stored probe {Id} is none of {ProbeCatalogue.Names}");

    public string Name => Definition.Name;

    /// <summary>How many values a row of this probe carries.</summary>
    public int ValueCount => Definition.ValueCount;

    /// <summary>The catalogue's <paramref name="definition"/>; throws <see cref="ArgumentException"/> for a probe that is not in it.</summary>
    public static Probe Of(ProbeDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return ProbeCatalogue.Find(definition.Name) == definition
            ? new Probe(ProbeCatalogue.IdOf(definition.Name))
            : throw new ArgumentException($"probe {definition.Name} is not in the catalogue", nameof(definition));
    }

    /// <summary>The probe stored as <paramref name="id"/>; throws <see cref="InvalidDataException"/> for a number no known probe has.</summary>
    public static Probe FromStored(long id) =>
        id is >= 0 and <= int.MaxValue && ProbeCatalogue.FindById((int)id) is not null
            ? new Probe((int)id)
            : throw new InvalidDataException($"stored probe {id} is none of {ProbeCatalogue.Names}");

    /// <summary>The probe of that exact wire name; false when the catalogue has none.</summary>
    public static bool TryParse(string? name, out Probe probe)
    {
        var known = ProbeCatalogue.Find(name) is not null;
        probe = known ? new Probe(ProbeCatalogue.IdOf(name!)) : default;
        return known;
    }

    public override string ToString() => Name;
}
