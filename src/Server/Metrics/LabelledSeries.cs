using Prometheus;

namespace Tracefleet.Server.Metrics;

/// <summary>
/// Sets a family of labelled series to what the server knows now: label sets not set this round are removed,
/// so hosts, probes and keys that left stop being exported (which keeps the series count bounded).
/// </summary>
internal sealed class LabelledSeries<TChild>(Collector<TChild> family, Action<Collector<TChild>, string[], double> set)
    where TChild : ChildBase
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public void Begin() => _seen.Clear();

    public void Set(double value, params string[] labels)
    {
        _seen.Add(string.Join('\0', labels));
        set(family, labels, value);
    }

    public void End()
    {
        foreach (var labels in family.GetAllLabelValues().ToList())
        {
            if (!_seen.Contains(string.Join('\0', labels)))
            {
                family.RemoveLabelled(labels);
            }
        }
    }
}

internal static class LabelledSeries
{
    /// <summary>A counter set to a total kept elsewhere; a total that went down (an agent restarted) restarts the series, which Prometheus reads as a reset.</summary>
    public static LabelledSeries<Counter.Child> Counter(Counter counter) => new(counter, (family, labels, value) =>
    {
        if (value < family.WithLabels(labels).Value)
        {
            family.RemoveLabelled(labels);
        }

        family.WithLabels(labels).IncTo(value);
    });

    public static LabelledSeries<Gauge.Child> Gauge(Gauge gauge) => new(gauge, (family, labels, value) => family.WithLabels(labels).Set(value));
}
