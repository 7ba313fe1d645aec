using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tracefleet.Web.Services;

/// <summary>
/// The server's HTTP API, on the server the app was loaded from (relative URLs). Every failure is an
/// <see cref="HttpRequestException"/> whose message is a plain sentence (<see cref="ApiErrors"/>) and, when the server
/// answered, whose <see cref="HttpRequestException.StatusCode"/> is its status.
/// </summary>
public sealed class TracefleetApi(HttpClient http)
{
    /// <summary>Requests leave out what is null: an optional field the form left empty is absent, as the API documents it.</summary>
    private static readonly JsonSerializerOptions Sent = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

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

    /// <summary>The fleet's totals of <paramref name="probe"/> per bucket of <paramref name="step"/> (the server's default when null), summed over every host.</summary>
    public Task<FleetSeriesResponse?> FleetSeriesAsync(string probe, TimeRangeSpec range, string? step, CancellationToken cancellationToken = default) =>
        GetAsync<FleetSeriesResponse>(Url("api/fleet/series", probe, range, [], [], ("step", step)), cancellationToken);

    public Task<List<FleetTopRow>?> FleetTopAsync(string probe, TimeRangeSpec range, IEnumerable<string> hosts, int limit, CancellationToken cancellationToken = default) =>
        GetAsync<List<FleetTopRow>>(FleetTopUrl(probe, range, hosts, limit, csv: false), cancellationToken);

    public Task<SeriesResponse?> SeriesAsync(string probe, TimeRangeSpec range, IEnumerable<string> hosts, IEnumerable<string> keys, string? step, CancellationToken cancellationToken = default) =>
        GetAsync<SeriesResponse>(SeriesUrl(probe, range, hosts, keys, step, csv: false), cancellationToken);

    public Task<CompareResponse?> CompareAsync(string probe, TimeRangeSpec range, IEnumerable<string> hosts, int limit, CancellationToken cancellationToken = default) =>
        GetAsync<CompareResponse>(Url("api/compare", probe, range, hosts, [], ("limit", Number(limit))), cancellationToken);

    /// <summary>
    /// What changed: <paramref name="host"/>'s keys (null: the fleet's) over the range against the same window
    /// <paramref name="against"/> earlier (a duration such as <c>1d</c>), ranked by how far <paramref name="column"/> moved.
    /// </summary>
    public Task<ChangesResponse?> ChangesAsync(string probe, TimeRangeSpec range, string? host, string against, string? column, int limit, CancellationToken cancellationToken = default) =>
        GetAsync<ChangesResponse>(Url("api/changes", probe, range, host is null ? [] : [host], [], ("against", against), ("column", column), ("limit", Number(limit))), cancellationToken);

    /// <summary>Every alert rule, those from files included (<c>source: "file"</c>).</summary>
    public Task<List<AlertRule>?> RulesAsync(CancellationToken cancellationToken = default) =>
        GetAsync<List<AlertRule>>("api/rules", cancellationToken);

    /// <summary>Creates a rule; 409 when the name is taken, <see cref="ApiValidationException"/> for a rule the server refuses.</summary>
    public Task<AlertRule?> CreateRuleAsync(AlertRule rule, CancellationToken cancellationToken = default) =>
        SendAsync<AlertRule>(HttpMethod.Post, "api/rules", AsSent(rule), cancellationToken);

    /// <summary>Replaces the rule named <paramref name="name"/> (which <paramref name="rule"/> may rename); 404 unknown, 409 a name taken or a rule from a file.</summary>
    public Task<AlertRule?> UpdateRuleAsync(string name, AlertRule rule, CancellationToken cancellationToken = default) =>
        SendAsync<AlertRule>(HttpMethod.Put, RulePath(name), AsSent(rule), cancellationToken);

    /// <summary>Deletes a rule; 404 unknown, 409 a rule from a file.</summary>
    public Task DeleteRuleAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<NoAnswer>(HttpMethod.Delete, RulePath(name), null, cancellationToken);

    /// <summary>When <paramref name="rule"/> would have fired between <paramref name="from"/> and <paramref name="to"/> (UTC), from stored history.</summary>
    public Task<RulePreview?> PreviewRuleAsync(AlertRule rule, DateTime from, DateTime to, CancellationToken cancellationToken = default) =>
        SendAsync<RulePreview>(HttpMethod.Post, "api/rules/preview", new RulePreviewRequest(AsSent(rule), Iso(from), Iso(to)), cancellationToken);

    /// <summary>Alerts pending or firing now.</summary>
    public Task<List<ActiveAlert>?> AlertsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<List<ActiveAlert>>("api/alerts", cancellationToken);

    /// <summary>Alerts' state changes in <paramref name="range"/>, newest first, at most <paramref name="limit"/>; rule and host narrow it when given.</summary>
    public Task<List<AlertTransition>?> AlertHistoryAsync(TimeRangeSpec range, string? rule, string? host, int limit, CancellationToken cancellationToken = default) =>
        GetAsync<List<AlertTransition>>(AlertHistoryUrl(range, rule, host, limit), cancellationToken);

    /// <summary>A host's events over the range, newest first, at most <paramref name="limit"/>; null for a host the server does not know.</summary>
    public Task<List<HostEvent>?> HostEventsAsync(string host, TimeRangeSpec range, int limit, CancellationToken cancellationToken = default) =>
        GetAsync<List<HostEvent>>(Url($"api/hosts/{Uri.EscapeDataString(host)}/events", null, range, [], [], ("limit", Number(limit))), cancellationToken);

    public Task<List<Silence>?> SilencesAsync(CancellationToken cancellationToken = default) =>
        GetAsync<List<Silence>>("api/silences", cancellationToken);

    public Task<Silence?> CreateSilenceAsync(NewSilence silence, CancellationToken cancellationToken = default) =>
        SendAsync<Silence>(HttpMethod.Post, "api/silences", silence, cancellationToken);

    public Task DeleteSilenceAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<NoAnswer>(HttpMethod.Delete, $"api/silences/{Uri.EscapeDataString(id)}", null, cancellationToken);

    /// <summary><c>api/alerts/history?from=&amp;to=&amp;host=&amp;rule=&amp;limit=</c>, the range resolved to absolute UTC times; an empty rule or host is left out.</summary>
    public static string AlertHistoryUrl(TimeRangeSpec range, string? rule, string? host, int limit) =>
        Url("api/alerts/history", null, range, string.IsNullOrEmpty(host) ? [] : [host], [], ("rule", string.IsNullOrEmpty(rule) ? null : rule), ("limit", Number(limit)));

    private static string RulePath(string name) => $"api/rules/{Uri.EscapeDataString(name)}";

    /// <summary>A rule as the UI sends it: what the server says of a rule (its source, its problem) is the server's, not the UI's.</summary>
    private static AlertRule AsSent(AlertRule rule) => rule with { Source = null, Problem = null };

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

    private Task<T?> GetAsync<T>(string url, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Get, url, null, cancellationToken);

    /// <summary>
    /// One request; a 400 with field errors throws <see cref="ApiValidationException"/>, any other failure an
    /// <see cref="HttpRequestException"/> whose message is a plain sentence. An answer without a body (204) is default.
    /// </summary>
    private async Task<T?> SendAsync<T>(HttpMethod method, string url, object? body, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: Sent) };
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException(ApiErrors.Unreachable, e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var message = ApiErrors.Answered(response.StatusCode, response.ReasonPhrase, problem);
                if (response.StatusCode == HttpStatusCode.BadRequest && ApiErrors.FieldErrors(problem) is { Count: > 0 } errors)
                {
                    throw new ApiValidationException(message, errors);
                }

                throw new HttpRequestException(message, null, response.StatusCode);
            }

            if (response.StatusCode == HttpStatusCode.NoContent || typeof(T) == typeof(NoAnswer))
            {
                return default;
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

    /// <summary>What a call that expects no body (a 204) reads.</summary>
    private sealed record NoAnswer;

    public static string FleetTopUrl(string probe, TimeRangeSpec range, IEnumerable<string> hosts, int limit, bool csv) =>
        Url("api/fleet/top", probe, range, hosts, [], ("limit", Number(limit)), ("format", csv ? "csv" : null));

    public static string SeriesUrl(string probe, TimeRangeSpec range, IEnumerable<string> hosts, IEnumerable<string> keys, string? step, bool csv) =>
        Url("api/series", probe, range, hosts, keys, ("step", step), ("format", csv ? "csv" : null));

    /// <summary><paramref name="path"/>, then <c>probe=</c> unless <paramref name="probe"/> is null, the range resolved to absolute UTC times, each host, each key and each of <paramref name="more"/> that is not null.</summary>
    private static string Url(string path, string? probe, TimeRangeSpec range, IEnumerable<string> hosts, IEnumerable<string> keys, params (string Name, string? Value)[] more)
    {
        var (from, to) = range.Resolve(DateTime.UtcNow);
        var query = new StringBuilder(path).Append('?');
        if (probe is not null)
        {
            query.Append("probe=").Append(probe).Append('&');
        }

        query.Append("from=").Append(Uri.EscapeDataString(Iso(from))).Append("&to=").Append(Uri.EscapeDataString(Iso(to)));
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

    private static string Iso(DateTime time) => time.ToString("O", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
