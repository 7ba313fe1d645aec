namespace Tracefleet.Server.Alerts.Evaluation;

/// <summary>
/// The states of one alert (rule, host, key): inactive → pending (condition holds, waiting out <c>for</c>) → firing →
/// resolved (which behaves as inactive until the condition holds again). Names as the API and history print them.
/// </summary>
public enum AlertState
{
    Inactive,
    Pending,
    Firing,
    Resolved,
}
