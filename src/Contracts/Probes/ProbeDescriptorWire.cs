using Tracefleet.Contract.V1;

namespace Tracefleet.Contract.Probes;

/// <summary>A probe's definition as <see cref="ProbeInfo.Definition"/> carries it in an agent's Hello, and back.</summary>
public static class ProbeDescriptorWire
{
    public static ProbeDescriptor ToDescriptor(this ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var descriptor = new ProbeDescriptor { Title = probe.Title, KeyMeaning = probe.Key.Meaning, KeyNoun = probe.Key.Noun };
        descriptor.Columns.AddRange(probe.Columns.Select(c => new ValueColumnInfo { Name = c.Name, Unit = c.Unit, Meaning = c.Meaning }));
        if (probe.Net is { } net)
        {
            descriptor.Net = new NetColumnInfo { Name = net.Name, Plus = net.Plus.Name, Minus = net.Minus.Name };
        }

        return descriptor;
    }

    /// <summary>
    /// The probe <paramref name="name"/> as <paramref name="descriptor"/> describes it; not yet checked against
    /// <see cref="ProbeDefinitionRules"/>. A net column naming a column the probe does not have gives null, with why.
    /// </summary>
    public static ProbeDefinition? ToDefinition(string name, ProbeDescriptor descriptor, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        List<ValueColumn> columns = [.. descriptor.Columns.Select(c => new ValueColumn(c.Name, c.Unit, c.Meaning))];
        NetColumn? net = null;
        if (descriptor.Net is { } wire)
        {
            var plus = columns.FirstOrDefault(c => c.Name == wire.Plus);
            var minus = columns.FirstOrDefault(c => c.Name == wire.Minus);
            if (plus is null || minus is null)
            {
                problem = $"probe {name}: net \"{wire.Name}\" names {wire.Plus} and {wire.Minus}, which must both be value columns";
                return null;
            }

            net = new NetColumn(wire.Name, plus, minus);
        }

        problem = null;
        return new ProbeDefinition(name, descriptor.Title, new KeyColumn(descriptor.KeyMeaning, descriptor.KeyNoun), columns, net);
    }
}
