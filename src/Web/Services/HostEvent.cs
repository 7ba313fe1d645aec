namespace Tracefleet.Web.Services;

/// <summary>
/// One event of a host, as <c>/api/hosts/{name}/events</c> gives it: <see cref="Kind"/> one of connected, reconnected,
/// disconnected, probe; <see cref="Probe"/> the probe of a probe's change (null otherwise); <see cref="Detail"/> its new
/// state and last error, or the agent's backend and version.
/// </summary>
public sealed record HostEvent(string Kind, DateTimeOffset At, string? Probe, string Detail);
