using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tracefleet.Web.Services;

/// <summary>
/// The server's HTTP API, on the server the app was loaded from (relative URLs). Every failure is an
/// <see cref="HttpRequestException"/> whose message is a plain sentence (<see cref="ApiErrors"/>) and, when the server
/// answered, whose <see cref="HttpRequestException.StatusCode"/> is its status.
/// </summary>
public sealed class TracefleetApi(HttpClient http)
{
    /// <summary>Every host; learns first the probes they run that this app does not know yet.</summary>
    public async Task<List<HostSummary>?> HostsAsync(CancellationToken cancellationToken = default)
    {
        var hosts = await GetAsync<List<HostSummary>>("api/hosts", cancellationToken).ConfigureAwait(false);
        await LearnUnknownAsync(hosts?.SelectMany(h => h.Probes) ?? [], cancellationToken).ConfigureAwait(false);
        return hosts;
    }

    /// <summary>One host; learns first the probes it runs that this app does not know yet.</summary>
    public async Task<HostDetail?> HostAsync(string name, CancellationToken cancellationToken = default)
    {
        var host = await GetAsync<HostDetail>($"api/hosts/{Uri.EscapeDataString(name)}", cancellationToken).ConfigureAwait(false);
        await LearnUnknownAsync(host?.Probes.Select(p => p.Name) ?? [], cancellationToken).ConfigureAwait(false);
        return host;
    }

    public Task<LatestSnapshot?> LatestAsync(string host, string probe, CancellationToken cancellationToken = default) =>
        GetAsync<LatestSnapshot>($"api/hosts/{Uri.EscapeDataString(host)}/latest?probe={probe}", cancellationToken);

    public Task<FleetSummary?> FleetSummaryAsync(int windowSeconds, CancellationToken cancellationToken = default) =>
        GetAsync<FleetSummary>($"api/fleet/summary?window={windowSeconds}", cancellationToken);

    public Task<List<FleetTopRow>?> FleetTopAsync(string probe, TimeRangeSpec range, IEnumerable<string> hosts, int limit, CancellationToken cancellationToken = default) =>
        GetAsync<List<FleetTopRow>>(FleetTopUrl(probe, range, hosts, limit, csv: false), cancellationToken);

    public Task<SeriesResponse?> SeriesAsync(string probe, TimeRangeSpec range, IEnumerable<string> hosts, IEnumerable<string> keys, string? step, CancellationToken cancellationToken = default) =>
        GetAsync<SeriesResponse>(SeriesUrl(probe, range, hosts, keys, step, csv: false), cancellationToken);

    public Task<CompareResponse?> CompareAsync(string probe, TimeRangeSpec range, IEnumerable<string> hosts, int limit, CancellationToken cancellationToken = default) =>
        GetAsync<CompareResponse>(Url("api/compare", probe, range, hosts, [], ("limit", Number(limit))), cancellationToken);

    /// <summary>
    /// Every probe the server knows (<c>/api/probes</c>), made known to this app's catalogue so that pages show a probe
    /// learnt from an agent's descriptor with its own columns. Cheap: a page calls it when it meets a probe it does not know.
    /// </summary>
    public async Task LearnProbesAsync(CancellationToken cancellationToken = default)
    {
        foreach (var probe in await GetAsync<List<ProbeDefinition>>("api/probes", cancellationToken).ConfigureAwait(false) ?? [])
        {
            // A probe the catalogue refuses (a name clash) is left out; the server refused its snapshots the same way.
            ProbeCatalogue.Register(probe, out _);
        }
    }

    private Task LearnUnknownAsync(IEnumerable<string> probes, CancellationToken cancellationToken) =>
        probes.Any(p => ProbeCatalogue.Find(p) is null) ? LearnProbesAsync(cancellationToken) : Task.CompletedTask;

    private async Task<T?> GetAsync<T>(string url, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException(ApiErrors.Unreachable, e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new HttpRequestException(ApiErrors.Answered(response.StatusCode, response.ReasonPhrase, body), null, response.StatusCode);
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw new HttpRequestException(ApiErrors.Unreadable(url.Split('?')[0]), e, response.StatusCode);
            }
        }
    }

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
