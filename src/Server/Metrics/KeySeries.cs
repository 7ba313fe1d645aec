using Prometheus;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Metrics;

/// <summary>
/// The busiest keys of the window per host and probe, as counters of their totals since the server started.
/// One family per measured quantity, so a PromQL sum never adds faults to allocations.
/// </summary>
internal sealed class KeySeries(IMetricFactory factory)
{
    private static readonly string[] Labels = ["host", "probe", "key"];

    private readonly LabelledSeries<Counter.Child> _faults = LabelledSeries.Counter(factory.CreateCounter(
        "tracefleet_pagefaults_total", "Page faults per mapped file (key) since the server started; only the busiest keys of the last window.", Labels));

    private readonly LabelledSeries<Counter.Child> _allocs = LabelledSeries.Counter(factory.CreateCounter(
        "tracefleet_kmem_allocs_total", "Allocations per kernel memory cache (key) since the server started; only the busiest keys of the last window.", Labels));

    private readonly LabelledSeries<Counter.Child> _frees = LabelledSeries.Counter(factory.CreateCounter(
        "tracefleet_kmem_frees_total", "Frees per kernel memory cache (key) since the server started; only the busiest keys of the last window.", Labels));

    public void Update(IEnumerable<TopKey> top)
    {
        _faults.Begin();
        _allocs.Begin();
        _frees.Begin();
        foreach (var key in top)
        {
            switch (key.Probe)
            {
                case ProbeNames.PageFaults when key.Totals.Length >= 1:
                    _faults.Set(key.Totals[0], key.Host, key.Probe, key.Key);
                    break;
                case ProbeNames.Kmem when key.Totals.Length >= 2:
                    _allocs.Set(key.Totals[0], key.Host, key.Probe, key.Key);
                    _frees.Set(key.Totals[1], key.Host, key.Probe, key.Key);
                    break;
                default:
                    // A probe this server does not know how to name: its keys stay in the API only.
                    break;
            }
        }

        _faults.End();
        _allocs.End();
        _frees.End();
    }
}
