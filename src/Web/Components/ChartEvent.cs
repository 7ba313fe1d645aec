using System.Globalization;

namespace Tracefleet.Web.Components;

/// <summary>
/// Something that happened to a host at <see cref="At"/> (UTC) that may explain a change on a chart: <see cref="Kind"/>
/// as <c>/api/hosts/{name}/events</c> names it (connected, reconnected, disconnected, probe), the probe of a probe's
/// change, and what the server said of it; <see cref="Host"/> named on a chart of several hosts.
/// </summary>
public sealed record ChartEvent(DateTime At, string Kind, string? Probe, string Detail, string? Host = null)
{
    /// <summary>The mark of <paramref name="e"/> as the server told it, named with <paramref name="host"/> on a chart of several hosts.</summary>
    public static ChartEvent Of(HostEvent e, string? host = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.At.UtcDateTime, e.Kind, e.Probe, e.Detail, host);
    }

    /// <summary>"06:10:00 UTC reconnected (bpftrace agent 1.4.0)", "06:12:05 UTC web-01 kmem failed · exit 1".</summary>
    public string Title
    {
        get
        {
            var what = Probe is { Length: > 0 } ? $"{Probe} {Detail}" : Detail.Length > 0 ? $"{Kind} ({Detail})" : Kind;
            var host = Host is { Length: > 0 } ? $"{Host} " : "";
            return $"{At.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC {host}{what}";
        }
    }
}
