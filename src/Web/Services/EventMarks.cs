using Tracefleet.Web.Components;

namespace Tracefleet.Web.Services;

/// <summary>
/// What a chart of several hosts marks beside its lines: each host's events over the range (connections, probes'
/// changes of state; <c>/api/hosts/{name}/events</c>), each named with its host.
/// </summary>
public static class EventMarks
{
    /// <summary>Hosts whose events are read for one chart, at most: a host's events explain its own line, and a chart of many hosts marked with all of theirs explains nothing.</summary>
    public const int MaxHosts = 5;

    /// <summary>Events read per host, newest first; the chart marks the latest <see cref="TrendChart.MaxMarkedEvents"/> of them all.</summary>
    public const int PerHost = 100;

    /// <summary>
    /// The events of the first <see cref="MaxHosts"/> of <paramref name="hosts"/> over <paramref name="range"/>, oldest
    /// first. A host whose events cannot be read (gone, renamed) is left out; the others are still marked.
    /// </summary>
    public static async Task<IReadOnlyList<ChartEvent>> LoadAsync(TracefleetApi api, TimeRangeSpec range, IEnumerable<string> hosts)
    {
        var reads = hosts.Distinct(StringComparer.Ordinal).Take(MaxHosts).Select(async host =>
        {
            try
            {
                return (await api.HostEventsAsync(host, range, PerHost).ConfigureAwait(false) ?? [])
                    .Select(e => ChartEvent.Of(e, host));
            }
            catch (HttpRequestException)
            {
                return [];
            }
        });
        return [.. (await Task.WhenAll(reads).ConfigureAwait(false)).SelectMany(e => e).OrderBy(e => e.At)];
    }
}
