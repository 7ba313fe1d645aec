namespace Tracefleet.Server.Alerts.Evaluation;

/// <summary>Where the evaluator's results go: history and live clients, receivers, and the state kept across restarts.</summary>
public interface IAlertOutput
{
    /// <summary>A state change.</summary>
    void Transitioned(AlertTransition transition);

    /// <summary>A notice for the receivers: a firing (possibly later than its transition, once no silence or backlog holds it), or the resolution of a firing that was sent.</summary>
    void Notify(AlertNotice notice);

    /// <summary>An alert's kept state changed; <see cref="AlertState.Inactive"/> or <see cref="AlertState.Resolved"/> means forget it.</summary>
    void Persist(AlertSeriesState state);
}
