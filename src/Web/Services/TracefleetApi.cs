using System.Globalization;
using System.Net.Http.Json;
using System.Text;

namespace Tracefleet.Web.Services;

/// <summary>The server's HTTP API, on the server the app was loaded from (relative URLs).</summary>
public sealed class TracefleetApi(HttpClient http)
{
    public Task<List<HostSummary>?> HostsAsync(CancellationToken cancellationToken = default) =>
        http.GetFromJsonAsync<List<HostSummary>>("api/hosts", cancellationToken);

    public Task<HostDetail?> HostAsync(string name, CancellationToken cancellationToken = default) =>
        http.GetFromJsonAsync<HostDetail>($"api/hosts/{Uri.EscapeDataString(name)}", cancellationToken);

    public Task<LatestSnapshot?> LatestAsync(string host, string probe, CancellationToken cancellationToken = default) =>
        http.GetFromJsonAsync<LatestSnapshot>($"api/hosts/{Uri.EscapeDataString(host)}/latest?probe={probe}", cancellationToken);

    public Task<FleetSummary?> FleetSummaryAsync(int windowSeconds, CancellationToken cancellationToken = default) =>
        http.GetFromJsonAsync<FleetSummary>($"api/fleet/summary?window={windowSeconds}", cancellationToken);

    public Task<List<KeyRow>?> FleetTopAsync(string probe, TimeRangeSpec range, IEnumerable<string> hosts, int limit, CancellationToken cancellationToken = default) =>
        http.GetFromJsonAsync<List<KeyRow>>(FleetTopUrl(probe, range, hosts, limit, csv: false), cancellationToken);

    public Task<SeriesResponse?> SeriesAsync(string probe, TimeRangeSpec range, IEnumerable<string> hosts, IEnumerable<string> keys, string? step, CancellationToken cancellationToken = default) =>
        http.GetFromJsonAsync<SeriesResponse>(SeriesUrl(probe, range, hosts, keys, step, csv: false), cancellationToken);

    public Task<CompareResponse?> CompareAsync(string probe, TimeRangeSpec range, IEnumerable<string> hosts, int limit, CancellationToken cancellationToken = default) =>
        http.GetFromJsonAsync<CompareResponse>(Url("api/compare", probe, range, hosts, [], ("limit", Number(limit))), cancellationToken);

    public static string FleetTopUrl(string probe, TimeRangeSpec range, IEnumerable<string> hosts, int limit, bool csv) =>
        Url("api/fleet/top", probe, range, hosts, [], ("limit", Number(limit)), ("format", csv ? "csv" : null));

    public static string SeriesUrl(string probe, TimeRangeSpec range, IEnumerable<string> hosts, IEnumerable<string> keys, string? step, bool csv) =>
        Url("api/series", probe, range, hosts, keys, ("step", step), ("format", csv ? "csv" : null));

    private static string Url(string path, string probe, TimeRangeSpec range, IEnumerable<string> hosts, IEnumerable<string> keys, params (string Name, string? Value)[] more)
    {
        var (from, to) = range.Resolve(DateTime.UtcNow);
        var query = new StringBuilder(path).Append("?probe=").Append(probe)
            .Append("&from=").Append(Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture)))
            .Append("&to=").Append(Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture)));
        foreach (var host in hosts)
        {
            query.Append("&host=").Append(Uri.EscapeDataString(host));
        }

        foreach (var key in keys)
        {
            query.Append("&key=").Append(Uri.EscapeDataString(key));
        }

        foreach (var (name, value) in more.Where(m => m.Value is not null))
        {
            query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value!));
        }

        return query.ToString();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
