using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Tracefleet.TestSupport;

/// <summary>
/// Debian's real Alertmanager (<c>./scripts/test.sh</c> installs prometheus-alertmanager) as a process of the test's own:
/// a throwaway config routing everything to a receiver that sends nothing, a throwaway data folder, a free loopback port,
/// clustering off. The distribution's service is never used. Without the binary, starting fails saying what to install.
/// </summary>
public sealed class AlertmanagerServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus-alertmanager";

    private readonly string _dir;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private AlertmanagerServer(string dir, Process process, ConcurrentQueue<string> output, Uri url)
    {
        _dir = dir;
        _process = process;
        _output = output;
        Url = url;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Url { get; }

    public HttpClient Http { get; }

    /// <summary>Its last lines of output, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts it and waits until <c>/-/ready</c> answers 200, at most <paramref name="patience"/>.</summary>
    public static async Task<AlertmanagerServer> StartAsync(TimeSpan patience)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install Debian's prometheus-alertmanager (apt-get install prometheus-alertmanager, as ./scripts/test.sh does)");
        }

        var dir = Directory.CreateTempSubdirectory("tracefleet-alertmanager-").FullName;
        var config = Path.Combine(dir, "alertmanager.yml");
        await File.WriteAllTextAsync(config, """
            route:
              receiver: "null"
            receivers:
              - name: "null"
            """);
        var url = new Uri($"http://127.0.0.1:{LoopbackPort.Next()}");
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[$"--config.file={config}", $"--storage.path={Path.Combine(dir, "data")}", $"--web.listen-address={url.Authority}", "--cluster.listen-address=", "--log.level=warn"])
        {
            start.ArgumentList.Add(argument);
        }

        var output = new ConcurrentQueue<string>();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new AlertmanagerServer(dir, process, output, url);
        var waited = Stopwatch.StartNew();
        while (!await server.ReadyAsync())
        {
            if (process.HasExited || waited.Elapsed > patience)
            {
                var said = server.Output;
                await server.DisposeAsync();
                throw new InvalidOperationException($"Alertmanager did not become ready on {url} within {patience.TotalSeconds} s:\n{said}");
            }

            await Task.Delay(100);
        }

        return server;
    }

    /// <summary>Alertmanager's <c>GET /api/v2/alerts</c>: the alerts it holds that have not ended.</summary>
    public async Task<List<JsonElement>> AlertsAsync()
    {
        var body = await Http.GetStringAsync("/api/v2/alerts");
        using var json = JsonDocument.Parse(body);
        return [.. json.RootElement.EnumerateArray().Select(a => a.Clone())];
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Files still being closed; the temp folder is cleaned by the OS eventually.
        }
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await Http.GetAsync("/-/ready");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return false;
        }
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 200)
        {
            output.TryDequeue(out _);
        }
    }
}
