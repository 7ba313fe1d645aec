using System.Globalization;
using System.Text.Json;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>
/// Debian's real Prometheus, as its own process on a loopback port with a throwaway config and TSDB folder,
/// scraping one target every second. The distribution's service is never used.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly ChildProcess _process;

    private PrometheusServer(string dir, ChildProcess process, Uri url)
    {
        _dir = dir;
        _process = process;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Http { get; }

    public string Output => _process.Output;

    /// <summary>
    /// Scrapes <paramref name="target"/> as job <c>tracefleet</c>; with <paramref name="bearerKey"/>, sends it as
    /// <c>authorization</c> (the README's scrape config for a server that asks for API keys) and scrapes the target again
    /// without it as job <c>tracefleet-without-key</c>.
    /// </summary>
    public static PrometheusServer Start(Uri target, string? bearerKey = null)
    {
        var dir = Directory.CreateTempSubdirectory("tracefleet-prometheus-").FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        var jobs = bearerKey is null
            ? Job("tracefleet", target, null)
            : Job("tracefleet", target, bearerKey) + Job("tracefleet-without-key", target, null);
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
            {jobs}
            """);
        var url = new Uri($"http://127.0.0.1:{LoopbackPort.Next()}");
        var process = new ChildProcess("/usr/bin/prometheus",
        [
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(dir, "data")}",
            $"--web.listen-address={url.Authority}",
            "--log.level=warn",
        ]);
        return new PrometheusServer(dir, process, url);
    }

    private static string Job(string name, Uri target, string? bearerKey) =>
        $"""
          - job_name: {name}
            static_configs:
              - targets: ["{target.Authority}"]

        """ + (bearerKey is null ? "" : $"""
            authorization:
              type: Bearer
              credentials: "{bearerKey}"

        """);

    /// <summary>An instant PromQL query: each result's labels and value.</summary>
    public async Task<List<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        try
        {
            using var response = await Http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
            if (!response.IsSuccessStatusCode)
            {
                return [];
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return [.. json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => (
                r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // TSDB files still being closed; the temp folder is cleaned by the OS eventually.
        }
    }
}
