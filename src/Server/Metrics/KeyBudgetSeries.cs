using Prometheus;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Metrics;

/// <summary>Each host's key budget per probe (Limits:MaxKeysPerHost): keys folded into "(other)" since the server started, keys tracked now.</summary>
internal sealed class KeyBudgetSeries(IMetricFactory factory)
{
    private readonly LabelledSeries<Counter.Child> _folded = LabelledSeries.Counter(factory.CreateCounter(
        "tracefleet_ingest_host_keys_folded_total",
        "Keys folded into (other) because the host's key budget for the probe was full (Limits:MaxKeysPerHost), one per key and snapshot.",
        ["host", "probe"]));

    private readonly LabelledSeries<Gauge.Child> _tracked = LabelledSeries.Gauge(factory.CreateGauge(
        "tracefleet_ingest_host_keys_tracked", "Keys of the host's probe stored under their own names now; at most Limits:MaxKeysPerHost.", ["host", "probe"]));

    public void Update(IEnumerable<(string Host, string Probe, KeyBudgetUsage Usage)> budgets)
    {
        _folded.Begin();
        _tracked.Begin();
        foreach (var (host, probe, usage) in budgets)
        {
            _folded.Set(usage.Folded, host, probe);
            _tracked.Set(usage.Tracked, host, probe);
        }

        _folded.End();
        _tracked.End();
    }
}
