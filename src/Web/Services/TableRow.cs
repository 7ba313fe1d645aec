namespace Tracefleet.Web.Services;

/// <summary>
/// A row of a top table: its key, its values in the probe's column order (<see cref="ProbeCatalogue"/>), and the probe's
/// net of two of them (<see cref="ProbeDefinition.Net"/>), exact; null when the probe has none or a side is saturated.
/// </summary>
public sealed record TableRow(string Key, IReadOnlyList<ulong> Values, Int128? Net)
{
    /// <summary>The row of <paramref name="probe"/> that the API sent as <paramref name="row"/>.</summary>
    public static TableRow Of(ProbeDefinition probe, FleetTopRow row)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(row);
        var values = row.ValuesOf(probe);
        var net = probe.Net is { } n ? CompareMath.Difference(probe.ValueOf(values, n.Plus), probe.ValueOf(values, n.Minus)) : null;
        return new(row.Key, values, net);
    }

    /// <summary>The value at <paramref name="position"/> of the probe's columns; 0 past the last.</summary>
    public ulong At(int position) => position < Values.Count ? Values[position] : 0;
}
