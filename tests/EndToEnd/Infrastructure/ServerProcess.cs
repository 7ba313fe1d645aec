using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>The real server binary on two free loopback ports with its own SQLite file, ready when /healthz answers.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private ChildProcess _process = null!;

    private ServerProcess(string dataDir, bool tls)
    {
        DataDir = dataDir;
        WebUrl = new Uri($"http://127.0.0.1:{LoopbackPort.Next()}");
        IngestUrl = new Uri(tls ? $"https://localhost:{LoopbackPort.Next()}" : $"http://127.0.0.1:{LoopbackPort.Next()}");
        Http = new HttpClient { BaseAddress = WebUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string DataDir { get; }

    public string DatabasePath => Path.Combine(DataDir, "tracefleet.db");

    public Uri WebUrl { get; }

    public Uri IngestUrl { get; }

    public HttpClient Http { get; }

    public string Output => _process.Output;

    public int ProcessId => _process.Id;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Starts a server; with <paramref name="tls"/> its ingest URL is https://localhost (the settings must name a certificate).</summary>
    public static async Task<ServerProcess> StartAsync(IDictionary<string, string>? settings = null, bool tls = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            var dataDir = Directory.CreateTempSubdirectory("tracefleet-e2e-").FullName;
            var server = new ServerProcess(dataDir, tls);
            try
            {
                await server.StartProcessAsync(settings);
                return server;
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // A port free when drawn was taken before the server bound it (another test's listener): new ports.
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Starts the server again on the same ports and database (after <see cref="Kill"/>).</summary>
    public Task RestartAsync(IDictionary<string, string>? settings = null) => StartProcessAsync(settings);

    public void Kill() => _process.Kill();

    /// <summary>
    /// A new client of the web port (30 s a request) that follows no redirect and keeps cookies only in
    /// <paramref name="cookies"/> when given one, e.g. a browser's jar shared with a sign-in provider.
    /// </summary>
    public HttpClient WebClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new() })
        {
            BaseAddress = WebUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    private async Task StartProcessAsync(IDictionary<string, string>? settings)
    {
        var arguments = new List<string>
        {
            "--urls", WebUrl.ToString().TrimEnd('/'),
            $"--Ingest:Url={IngestUrl.ToString().TrimEnd('/')}",
            $"--Storage:Path={DatabasePath}",
            "--Logging:LogLevel:Default=Warning",
        };
        settings ??= new Dictionary<string, string>();
        if (!settings.Keys.Any(k => k.StartsWith("Auth:", StringComparison.Ordinal) && !k.StartsWith("Auth:People:", StringComparison.Ordinal)))
        {
            // Tests about something else run an open server; the agent auth tests configure tokens (people's sign-in is another matter).
            arguments.Add("--Auth:AllowAnonymousAgents=true");
        }

        arguments.AddRange(settings.Select(kv => $"--{kv.Key}={kv.Value}"));
        _process = new ChildProcess(RepoPaths.Server, arguments);

        var starting = Stopwatch.StartNew();
        while (starting.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                // Its last words may still be in the pipes: the wait returns once they are read to the end.
                var exitCode = await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException($"The server exited at start (exit code {exitCode}):\n" + _process.Output);
            }

            try
            {
                using var response = await Http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server did not become healthy within 60 s:\n" + _process.Output);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS eventually.
        }
    }
}
