namespace Tracefleet.Contract.Api;

/// <summary>
/// One event of a host, as <c>GET /api/hosts/{name}/events</c> gives it: <see cref="Kind"/> one of <c>connected</c>,
/// <c>reconnected</c>, <c>disconnected</c>, <c>probe</c>; <see cref="Probe"/> the probe of a <c>probe</c> event (null
/// otherwise); <see cref="Detail"/> the probe's new state, restarts and last error, or the agent's backend and version
/// (empty when none).
/// </summary>
public sealed record HostEvent(string Kind, DateTimeOffset At, string? Probe, string Detail);
