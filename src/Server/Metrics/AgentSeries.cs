using Prometheus;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Metrics;

/// <summary>What each host's agent reports about its probes (ProbeStatus messages), as series per host and probe.</summary>
internal sealed class AgentSeries(IMetricFactory factory)
{
    private readonly LabelledSeries<Counter.Child> _restarts = LabelledSeries.Counter(factory.CreateCounter(
        "tracefleet_agent_probe_restarts_total", "Times the agent restarted the probe's tracer since the agent started.", ["host", "probe"]));

    private readonly LabelledSeries<Counter.Child> _malformed = LabelledSeries.Counter(factory.CreateCounter(
        "tracefleet_agent_probe_malformed_lines_total", "Tracer output lines the agent skipped as malformed since the agent started.", ["host", "probe"]));

    private readonly LabelledSeries<Counter.Child> _rejected = LabelledSeries.Counter(factory.CreateCounter(
        "tracefleet_agent_probe_rejected_snapshots_total", "Snapshots of the probe the server refused, as the agent counts them since it started (kept in its rejected/ folder).", ["host", "probe"]));

    private readonly LabelledSeries<Gauge.Child> _lines = LabelledSeries.Gauge(factory.CreateGauge(
        "tracefleet_agent_probe_lines_per_second", "Lines the tracer printed per second, as the agent last reported.", ["host", "probe"]));

    private readonly LabelledSeries<Gauge.Child> _state = LabelledSeries.Gauge(factory.CreateGauge(
        "tracefleet_agent_probe_state", "1 for the probe's current state as the agent last reported it, 0 for the others.", ["host", "probe", "state"]));

    public void Update(IEnumerable<(string Host, ProbeReport Report)> reports)
    {
        _restarts.Begin();
        _malformed.Begin();
        _rejected.Begin();
        _lines.Begin();
        _state.Begin();
        foreach (var (host, report) in reports)
        {
            var status = report.Status;
            _restarts.Set(status.Restarts, host, status.Probe);
            _malformed.Set(status.MalformedLines, host, status.Probe);
            _rejected.Set(status.RejectedSnapshots, host, status.Probe);
            _lines.Set(status.LinesPerSecond, host, status.Probe);
            // Every state is exported, 1 for the current one, so an alert can say `== 1` without knowing the others.
            foreach (var state in ProbeStates.WireNames)
            {
                _state.Set(state == status.State ? 1 : 0, host, status.Probe, state);
            }
        }

        _restarts.End();
        _malformed.End();
        _rejected.End();
        _lines.End();
        _state.End();
    }
}
