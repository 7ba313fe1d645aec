using Prometheus;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Metrics;

/// <summary>
/// What each probe costs its host, as its agent last measured it, and whether the agent suspended it for costing more than
/// its budget; series per host and probe, gone with the host's statuses (<see cref="ProbeStatusRegistry.Forget"/>).
/// </summary>
internal sealed class ProbeCostSeries(IMetricFactory factory)
{
    private readonly LabelledSeries<Gauge.Child> _cpu = LabelledSeries.Gauge(factory.CreateGauge(
        "tracefleet_probe_cpu_percent",
        "CPU the probe costs its host, percent of one core, averaged over the agent's last measured window: part=\"tracer\" is the tracer process and its children, part=\"kernel\" the kernel's time in the probe's BPF programs (only where the kernel reports it: bpftrace with kernel.bpf_stats_enabled).",
        ["host", "probe", "part"]));

    private readonly LabelledSeries<Gauge.Child> _rss = LabelledSeries.Gauge(factory.CreateGauge(
        "tracefleet_probe_rss_bytes", "Resident memory of the probe's tracer process and its children, bytes, as the agent last measured it.", ["host", "probe"]));

    private readonly LabelledSeries<Gauge.Child> _events = LabelledSeries.Gauge(factory.CreateGauge(
        "tracefleet_probe_events_per_second", "Events the probe counted per second (its first column), averaged over the agent's last measured window.", ["host", "probe"]));

    private readonly LabelledSeries<Gauge.Child> _output = LabelledSeries.Gauge(factory.CreateGauge(
        "tracefleet_probe_output_bytes_per_second", "Bytes per second the probe's tracer printed, averaged over the agent's last measured window.", ["host", "probe"]));

    private readonly LabelledSeries<Gauge.Child> _budget = LabelledSeries.Gauge(factory.CreateGauge(
        "tracefleet_probe_budget_cpu_percent", "The most tracer plus kernel CPU the probe may cost its host, percent of one core, before the agent suspends it.", ["host", "probe"]));

    private readonly LabelledSeries<Gauge.Child> _suspended = LabelledSeries.Gauge(factory.CreateGauge(
        "tracefleet_probe_suspended", "1 while the agent has the probe suspended for costing more than its budget, 0 otherwise.", ["host", "probe"]));

    public void Update(IEnumerable<(string Host, ProbeReport Report)> reports)
    {
        _cpu.Begin();
        _rss.Begin();
        _events.Begin();
        _output.Begin();
        _budget.Begin();
        _suspended.Begin();
        foreach (var (host, report) in reports)
        {
            var probe = report.Status.Probe;
            _suspended.Set(report.Status.State == ProbeState.Suspended.WireName() ? 1 : 0, host, probe);
            if (report.Cost is not { } cost)
            {
                // Not measured: no series rather than a zero that reads as "costs nothing".
                continue;
            }

            _cpu.Set(cost.TracerCpuPercent, host, probe, "tracer");
            if (cost.KernelTimeKnown)
            {
                _cpu.Set(cost.KernelCpuPercent, host, probe, "kernel");
            }

            _rss.Set(cost.TracerRssBytes, host, probe);
            _events.Set(cost.EventsPerSecond, host, probe);
            _output.Set(cost.OutputBytesPerSecond, host, probe);
            _budget.Set(cost.BudgetCpuPercent, host, probe);
        }

        _cpu.End();
        _rss.End();
        _events.End();
        _output.End();
        _budget.End();
        _suspended.End();
    }
}
