namespace Tracefleet.Contract.Probes;

/// <summary>
/// What an alert rule or a "what changed" ranking measures of a probe's rows, by position in the probe's columns: one value
/// column (<see cref="Plus"/>; <see cref="Minus"/> −1), or the probe's net, plus − minus (kmem's allocs − frees).
/// </summary>
public readonly record struct ColumnMeasure(string Name, int Plus, int Minus)
{
    public bool IsNet => Minus >= 0;

    /// <summary>The measure of <paramref name="probe"/> named <paramref name="name"/>: a value column, or its net; null when it has neither of that name.</summary>
    public static ColumnMeasure? Of(ProbeDefinition probe, string name)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (probe.ColumnIndex(name) is >= 0 and var index)
        {
            return new(name, index, -1);
        }

        return probe.Net is { } net && net.Name == name ? new(name, probe.ColumnIndex(net.Plus.Name), probe.ColumnIndex(net.Minus.Name)) : null;
    }

    /// <summary>The measure named <paramref name="name"/> when <paramref name="probe"/> has one, else its column tops rank by (a link's unknown or missing name).</summary>
    public static ColumnMeasure OrRankedBy(ProbeDefinition probe, string? name)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return (name is null ? null : Of(probe, name)) ?? new(probe.RankedBy.Name, probe.ColumnIndex(probe.RankedBy.Name), -1);
    }

    /// <summary>The names a measure of <paramref name="probe"/> may take: its value columns, then its net when it has one.</summary>
    public static IReadOnlyList<string> NamesOf(ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return [.. probe.Columns.Select(c => c.Name), .. probe.Net is { } net ? [net.Name] : Array.Empty<string>()];
    }

    /// <summary>The measure of a row whose values are in its probe's column order (a missing one counts 0), exact: counts below 2^64 differ by less than 2^64.</summary>
    public Int128 Of(ReadOnlySpan<ulong> values)
    {
        Int128 plus = Plus < values.Length ? values[Plus] : 0UL;
        return IsNet ? plus - (Minus < values.Length ? values[Minus] : 0UL) : plus;
    }
}
