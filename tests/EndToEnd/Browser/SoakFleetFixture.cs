using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// A server with one Linux host replaying its page faults and allocations at ten times real time, and a Chromium of its
/// own whose browser process carries <see cref="Marker"/>, so its renderer can be found in /proc. The host has a whole
/// Host page range of history before the soak starts: with only the captures' 12 seconds behind it, the page's charts
/// kept filling their 15 minutes through the soak, and the soak measured the charts growing, not the page.
/// </summary>
public sealed class SoakFleetFixture : IAsyncLifetime
{
    public const string Host = "soak-01";

    /// <summary>Seconds of capture replayed per second.</summary>
    public const int Speed = 10;

    /// <summary>
    /// Tables of history replayed first, each capture repeated to this many (synthesized from the real captures): 16
    /// minutes, more than the Host page's default range.
    /// </summary>
    private const int HistoryTables = 960;

    /// <summary>The captures' tables each (tests/fixtures/captures/linux-stap-{pfstat,kmemstat}.txt).</summary>
    private const int CaptureTables = 12;

    private readonly List<string> _captures = [];

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
        _captures.Add(TempCaptures.Repeat("linux-stap-pfstat.txt", HistoryTables / CaptureTables));
        _captures.Add(TempCaptures.Repeat("linux-stap-kmemstat.txt", HistoryTables / CaptureTables));
        _agent = new ChildProcess(RepoPaths.Agent,
        [
            "--server", Server.IngestUrl.ToString(), "--host", Host, "--os", "linux", "--speed", Speed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--loop",
            "--replay", _captures[0], "--replay", _captures[1],
        ]);
        await WaitForHostAsync();
        // The history is in once the agent's first pass (both probes' tables, numbered from 1) is stored.
        var stored = await Poll.UntilAsync(() => LoopingReplay.LatestSequenceAsync(Server, Host), n => n >= 2 * HistoryTables, TimeSpan.FromSeconds(300));
        if (stored < 2 * HistoryTables)
        {
            throw new TimeoutException($"the soak's history was not stored in 300 s ({stored} of {2 * HistoryTables} snapshots):\n{_agent.Output}");
        }

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

        foreach (var capture in _captures)
        {
            File.Delete(capture);
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
