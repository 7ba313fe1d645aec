using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Events;

/// <summary>Whether a probe's new status is an event worth marking: a change of state, or restarts counted up.</summary>
public static class ProbeChange
{
    /// <summary>
    /// The event's detail (<c>failed · 3 restarts · ERROR TEXT</c>), or null when <paramref name="now"/> says nothing new
    /// beside <paramref name="before"/> (null: the first status of the probe since the server started or the host was
    /// forgotten; then only a probe that is not running is an event).
    /// </summary>
    public static string? Describe(ProbeStatus? before, ProbeStatus now)
    {
        ArgumentNullException.ThrowIfNull(now);
        var changed = before is null
            ? now.State is not ("running" or "starting")
            : before.State != now.State || now.Restarts > before.Restarts;
        if (!changed)
        {
            return null;
        }

        var detail = now.Restarts > 0 ? $"{now.State} · {now.Restarts} restarts" : now.State;
        return now.LastError.Length > 0 ? $"{detail} · {now.LastError}" : detail;
    }
}
