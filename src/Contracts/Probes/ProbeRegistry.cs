using System.Collections.Frozen;

namespace Tracefleet.Contract.Probes;

/// <summary>
/// A set of known probes that grows as descriptors arrive (<see cref="Register"/>): the built-in ones first, at most a
/// given number. Thread-safe; reads take no lock and see a whole, immutable view. The process's own is
/// <see cref="ProbeCatalogue.Shared"/>; a separate one keeps a test's probes to itself.
/// </summary>
public sealed class ProbeRegistry
{
    private readonly Lock _gate = new();
    private readonly int _max;
    private volatile Known _known;

    /// <param name="builtIn">Probes known from the start, in their order.</param>
    /// <param name="max">The most probes it will know.</param>
    public ProbeRegistry(IReadOnlyList<ProbeDefinition> builtIn, int max)
    {
        ArgumentNullException.ThrowIfNull(builtIn);
        _max = max;
        _known = Known.Of(builtIn, builtIn.Count);
    }

    /// <summary>Every known probe: the built-in ones first, then the others by name.</summary>
    public IReadOnlyList<ProbeDefinition> All => _known.All;

    /// <summary>Every value column of every probe, in the order of <see cref="All"/> and then of each probe's columns.</summary>
    public IReadOnlyList<ValueColumn> AllColumns => _known.Columns;

    /// <summary>The names of every probe, comma-separated, for messages that list what is known.</summary>
    public string Names => _known.Names;

    /// <summary>The probe of that exact wire name, or null.</summary>
    public ProbeDefinition? Find(string? name) => name is not null && _known.ByName.TryGetValue(name, out var probe) ? probe : null;

    /// <summary>The probe stored under <paramref name="id"/> (<see cref="ProbeCatalogue.IdOf"/>), or null.</summary>
    public ProbeDefinition? FindById(int id) => _known.ById.TryGetValue(id, out var probe) ? probe : null;

    /// <summary>
    /// Null when <see cref="Register"/> would take <paramref name="probe"/> (known with the same shape, or new and within the
    /// rules); otherwise why not. Lets a caller keep a new probe somewhere first and register it after.
    /// </summary>
    public string? Check(ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (Find(probe.Name) is { } known)
        {
            return SameShape(known, probe, out var problem) ? null : problem;
        }

        return ProbeDefinitionRules.Check(probe) is { } invalid ? $"probe {probe.Name}: {invalid}" : Conflict(_known.All, probe, _max);
    }

    /// <summary>
    /// Makes <paramref name="probe"/> known. The first definition of a name stays: a later one with the same value
    /// columns (names in order), key noun and net column is the same probe (titles and wording may differ between agent
    /// versions) and gets the known definition back; one that differs in them is refused.
    /// </summary>
    /// <returns>The definition to use, or null with <paramref name="problem"/> saying why it was refused.</returns>
    public ProbeDefinition? Register(ProbeDefinition probe, out string? problem)
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

        lock (_gate)
        {
            if (Find(probe.Name) is { } raced)
            {
                return SameShape(raced, probe, out problem) ? raced : null;
            }

            problem = Conflict(_known.All, probe, _max);
            if (problem is not null)
            {
                return null;
            }

            _known = Known.Of([.. _known.All, probe], _known.BuiltIn);
            return probe;
        }
    }

    /// <summary>
    /// What stops <paramref name="probe"/> from joining <paramref name="known"/>: a full catalogue (<paramref name="max"/>
    /// probes), or a stored number, busiest-key field or column name another probe already has with another meaning.
    /// </summary>
    private static string? Conflict(IReadOnlyList<ProbeDefinition> known, ProbeDefinition probe, int max)
    {
        if (known.Count >= max)
        {
            return $"probe {probe.Name}: this server already knows {max} probes, the most it takes";
        }

        var id = ProbeCatalogue.IdOf(probe.Name);
        if (known.FirstOrDefault(p => ProbeCatalogue.IdOf(p.Name) == id) is { } other)
        {
            return $"probe {probe.Name}: its stored number {id} is already {other.Name}'s; rename one of them";
        }

        foreach (var existing in known)
        {
            if (string.Equals(existing.TopField, probe.TopField, StringComparison.Ordinal))
            {
                return $"probe {probe.Name}: fleet summaries already name {existing.Name}'s busiest key {probe.TopField}; choose another name";
            }

            // "topCachenamed" of a probe "cachenamed" beside kmem's "topCacheNamed": readers that ignore case would mix them.
            string[] fields = [probe.TopField, probe.TopNamedField];
            if (fields.Any(f => f.Equals(existing.TopField, StringComparison.OrdinalIgnoreCase) || f.Equals(existing.TopNamedField, StringComparison.OrdinalIgnoreCase)))
            {
                return $"probe {probe.Name}: fleet summaries already name {existing.Name}'s busiest keys {existing.TopField} and {existing.TopNamedField}; choose another name";
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

    /// <summary>One immutable view of what is known, swapped whole when a probe joins; the first <see cref="BuiltIn"/> stay first.</summary>
    private sealed record Known(
        IReadOnlyList<ProbeDefinition> All,
        IReadOnlyList<ValueColumn> Columns,
        FrozenDictionary<string, ProbeDefinition> ByName,
        FrozenDictionary<int, ProbeDefinition> ById,
        string Names,
        int BuiltIn)
    {
        public static Known Of(IReadOnlyList<ProbeDefinition> probes, int builtIn)
        {
            IReadOnlyList<ProbeDefinition> all = [.. probes.Take(builtIn), .. probes.Skip(builtIn).OrderBy(p => p.Name, StringComparer.Ordinal)];
            return new(
                all,
                [.. all.SelectMany(p => p.Columns)],
                all.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal),
                all.ToFrozenDictionary(p => ProbeCatalogue.IdOf(p.Name)),
                string.Join(", ", all.Select(p => p.Name)),
                builtIn);
        }
    }
}
