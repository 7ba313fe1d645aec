using Tracefleet.Server.Alerts;
using Tracefleet.Server.Alerts.Evaluation;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>Keeps what an evaluator said, in order.</summary>
internal sealed class RecordingOutput : IAlertOutput
{
    public List<AlertTransition> Transitions { get; } = [];

    public List<AlertNotice> Notices { get; } = [];

    public Dictionary<(string Rule, string Host, string Key), AlertSeriesState> Kept { get; } = [];

    public void Transitioned(AlertTransition transition) => Transitions.Add(transition);

    public void Notify(AlertNotice notice) => Notices.Add(notice);

    public void Persist(AlertSeriesState state)
    {
        if (state.State is AlertState.Pending or AlertState.Firing)
        {
            Kept[(state.Rule, state.Host, state.Key)] = state;
        }
        else
        {
            Kept.Remove((state.Rule, state.Host, state.Key));
        }
    }

    /// <summary>The transitions as "from→to@second" for table-like assertions.</summary>
    public IEnumerable<string> Steps => Transitions.Select(t => $"{t.From}→{t.To}@{t.AtUnixMs / 1000}".ToLowerInvariant());
}
