namespace Tracefleet.Contract.Probes;

/// <summary>Values named by column or by probe, as the records of the HTTP API and the hub carry them.</summary>
public static class NamedColumns
{
    /// <summary><paramref name="values"/>, in <paramref name="probe"/>'s column order, named by column; a short row names only the columns it has.</summary>
    public static Named<T> Of<T>(ProbeDefinition probe, IReadOnlyList<T> values)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(values);
        return new(probe.Columns.Take(values.Count).Select((column, i) => KeyValuePair.Create(column.Name, values[i])));
    }

    /// <summary>Every column of the catalogue (<see cref="ProbeCatalogue.AllColumns"/>, each once) named, with <paramref name="value"/> of it.</summary>
    public static Named<T> OfEveryColumn<T>(Func<ValueColumn, T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(ProbeCatalogue.AllColumns.Distinct().Select(column => KeyValuePair.Create(column.Name, value(column))));
    }

    /// <summary>
    /// Every probe of the catalogue's busiest key, named by its <see cref="ProbeDefinition.TopField"/>, each followed by its
    /// busiest key that names something, named by its <see cref="ProbeDefinition.TopNamedField"/>.
    /// </summary>
    public static Named<string?> OfEveryProbe(Func<ProbeDefinition, string?> topKey, Func<ProbeDefinition, string?> topNamedKey)
    {
        ArgumentNullException.ThrowIfNull(topKey);
        ArgumentNullException.ThrowIfNull(topNamedKey);
        return new(ProbeCatalogue.All.SelectMany(probe => new[]
        {
            KeyValuePair.Create(probe.TopField, topKey(probe)),
            KeyValuePair.Create(probe.TopNamedField, topNamedKey(probe)),
        }));
    }

    /// <summary>The value of <paramref name="column"/>; null when there is none.</summary>
    public static ulong? ValueOf(this Named<ulong> values, ValueColumn column)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(column);
        return values.TryGet(column.Name, out var value) ? value : null;
    }

    /// <summary>The values in <paramref name="probe"/>'s column order; a missing one counts 0.</summary>
    public static ulong[] InColumnOrder(this Named<ulong> values, ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(probe);
        return [.. probe.Columns.Select(column => values.ValueOf(column) ?? 0)];
    }

    /// <summary>The busiest key of <paramref name="probe"/>; null when it has none.</summary>
    public static string? TopKeyOf(this Named<string?> topKeys, ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(topKeys);
        ArgumentNullException.ThrowIfNull(probe);
        return topKeys.TryGet(probe.TopField, out var key) ? key : null;
    }

    /// <summary>The busiest key of <paramref name="probe"/> that names something (<see cref="UnnamedKeys"/>); null when it has none.</summary>
    public static string? TopNamedKeyOf(this Named<string?> topKeys, ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(topKeys);
        ArgumentNullException.ThrowIfNull(probe);
        return topKeys.TryGet(probe.TopNamedField, out var key) ? key : null;
    }
}
