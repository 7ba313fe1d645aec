using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// A server with one Linux host replaying its page faults and allocations at ten times real time, and a Chromium of its
/// own whose browser process carries <see cref="Marker"/>, so its renderer can be found in /proc.
/// </summary>
public sealed class SoakFleetFixture : IAsyncLifetime
{
    public const string Host = "soak-01";

    /// <summary>Seconds of capture replayed per second.</summary>
    public const int Speed = 10;

    private ChildProcess? _agent;
    private IPlaywright? _playwright;

    /// <summary>An argument Chromium ignores, unique to this browser.</summary>
    public string Marker { get; } = "--tracefleet-soak=" + Guid.NewGuid().ToString("N");

    public ServerProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(BrowserFleetFixture.ChromiumPath))
        {
            throw new InvalidOperationException($"{BrowserFleetFixture.ChromiumPath} is missing: apt-get install -y chromium (scripts/test.sh does).");
        }

        Server = await ServerProcess.StartAsync();
        _agent = new ChildProcess(RepoPaths.Agent,
        [
            "--server", Server.IngestUrl.ToString(), "--host", Host, "--os", "linux", "--speed", Speed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--loop",
            "--replay", RepoPaths.Capture("linux-stap-pfstat.txt"), "--replay", RepoPaths.Capture("linux-stap-kmemstat.txt"),
        ]);
        await WaitForHostAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserFleetFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", Marker],
        });
    }

    /// <summary>The one page of the soak; the test closes it (<c>await using var context = page.Context;</c>).</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Server.WebUrl.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        page.SetDefaultNavigationTimeout(45_000);
        // As the browser fixture does: run alone, the soak would otherwise wait Playwright's 5 s for a cold app to start.
        Assertions.SetDefaultExpectTimeout(45_000);
        return page;
    }

    private async Task WaitForHostAsync()
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var hosts = await Server.Http.GetFromJsonAsync<List<HostDto>>("/api/hosts", ServerProcess.Json).WaitAsync(TimeSpan.FromSeconds(30));
            if (hosts!.Any(h => h.Name == Host && h.Online))
            {
                return;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the soak's host did not come online:\n" + _agent!.Output);
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        _playwright?.Dispose();
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
