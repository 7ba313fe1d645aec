using Prometheus;

namespace Tracefleet.Server.Metrics;

/// <summary>
/// The busiest keys of the window per host and probe, as counters of their totals since the server started.
/// One family per measured quantity (a probe's value column), so a PromQL sum never adds faults to allocations:
/// <c>tracefleet_{probe}_total</c> for a probe of one column, <c>tracefleet_{probe}_{column}_total</c> otherwise.
/// </summary>
internal sealed class KeySeries(IMetricFactory factory)
{
    private static readonly string[] Labels = ["host", "probe", "key"];

    // Made the first time a probe's keys are exported: probes learnt from agents' descriptors join while the server runs.
    private readonly Dictionary<string, LabelledSeries<Counter.Child>[]> _families = new(StringComparer.Ordinal);

    private LabelledSeries<Counter.Child>[]? FamiliesOf(string name)
    {
        if (_families.TryGetValue(name, out var families))
        {
            return families;
        }

        if (ProbeCatalogue.Find(name) is not { } p)
        {
            return null;
        }

        families = [.. p.Columns.Select(c => LabelledSeries.Counter(factory.CreateCounter(
            p.ValueCount == 1 ? $"tracefleet_{p.Name}_total" : $"tracefleet_{p.Name}_{c.Name}_total",
            $"{c.Meaning} per {p.Key.Meaning} (key) since the server started; only the busiest keys of the last window.", Labels)))];
        _families[name] = families;
        return families;
    }

    public void Update(IEnumerable<TopKey> top)
    {
        foreach (var probe in ProbeCatalogue.All)
        {
            FamiliesOf(probe.Name);
        }

        foreach (var family in _families.Values.SelectMany(f => f))
        {
            family.Begin();
        }

        foreach (var key in top)
        {
            // A probe this server does not know keeps its keys in the API only.
            if (FamiliesOf(key.Probe) is { } families && key.Totals.Length >= families.Length)
            {
                for (var i = 0; i < families.Length; i++)
                {
                    families[i].Set(key.Totals[i], key.Host, key.Probe, key.Key);
                }
            }
        }

        foreach (var family in _families.Values.SelectMany(f => f))
        {
            family.End();
        }
    }
}
