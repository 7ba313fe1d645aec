namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// One POST a <see cref="ReceiverLane"/> delivers. <see cref="Request"/> makes a new request for each attempt (a request
/// cannot be sent twice; Alertmanager's <c>endsAt</c> is computed when it is sent). <see cref="Done"/> runs once when
/// the POST is delivered, given up or dropped.
/// </summary>
public sealed record LanePost(string? Fingerprint, string Status, int Alerts, Func<HttpRequestMessage> Request, Action? Done = null);
