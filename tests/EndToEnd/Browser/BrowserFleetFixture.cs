using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// The real server with a small fleet of replay agents streaming live (Linux, Solaris, and a host
/// whose file names are markup), and Debian's Chromium driven by Playwright. Never a downloaded browser.
/// </summary>
public sealed class BrowserFleetFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string LinuxA = "web-01";
    public const string LinuxB = "web-02";
    public const string Solaris = "zfs-01";
    public const string Hostile = "evil-01";

    /// <summary>Pages open at once: the browser tests run one at a time, and one of them may hold two.</summary>
    private const int MaxOpenPages = 2;

    private readonly List<ChildProcess> _agents = [];
    private IPlaywright? _playwright;

    public ServerProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public DateTime StartedAt { get; } = DateTime.UtcNow;

    public static string ScreenshotFolder { get; } = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (scripts/test.sh does).");
        }

        Server = await ServerProcess.StartAsync();
        Agent(LinuxA, "linux", "1", "linux-stap-pfstat.txt", "linux-stap-kmemstat.txt");
        Agent(LinuxB, "linux", "1.5", "linux-stap-pfstat.txt", "linux-stap-kmemstat.txt");
        Agent(Solaris, "solaris", "1", "solaris-dtrace-pfstat.txt", "solaris-dtrace-kmemstat.txt");
        Agent(Hostile, "linux", "1", "synthetic-xss-pfstat.txt");
        await WaitForHostsAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
        // Live pages settle within seconds on a busy 2-core machine, not Playwright's default 5; a first page load there
        // (the WebAssembly runtime and the app, then the fleet's first second) has been seen to take over 20 s.
        Assertions.SetDefaultExpectTimeout(45_000);
    }

    /// <summary>A fresh page on the fleet's server; Playwright's own timeouts bound every wait on it.</summary>
    public Task<IPage> NewPageAsync() => NewPageAsync(Server.WebUrl);

    /// <summary>
    /// A fresh page in its own browser context (its own cookies) on the server at <paramref name="baseUrl"/>, with the
    /// fleet's timeouts. The test closes it (<c>await using var context = page.Context;</c>): a page left open keeps its
    /// app rendering every live second for the rest of the group, and a dozen of them starved later pages' start past
    /// their timeouts on a 2-core machine. So a page asked for while another test's is still open is refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">An earlier test left its page open.</exception>
    public async Task<IPage> NewPageAsync(Uri baseUrl)
    {
        if (Browser.Contexts.Count >= MaxOpenPages)
        {
            throw new InvalidOperationException(
                $"{Browser.Contexts.Count} browser pages are still open: a test did not close its page (await using var context = page.Context;)");
        }

        var context = await Browser.NewContextAsync(new() { BaseURL = baseUrl.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        page.SetDefaultNavigationTimeout(45_000);
        return page;
    }

    /// <summary>
    /// What the viewport shows (1400×900), as TestResults/screenshots/NAME.png: small enough for the README, which shows
    /// some of them (scripts/screenshots.sh copies those into docs/screenshots).
    /// </summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png") });

    private void Agent(string host, string os, string speed, params string[] captures) =>
        _agents.Add(new ChildProcess(RepoPaths.Agent,
        [
            "--server", Server.IngestUrl.ToString(), "--host", host, "--os", os, "--speed", speed, "--loop",
            .. captures.SelectMany(c => new[] { "--replay", RepoPaths.Capture(c) }),
        ]));

    private async Task WaitForHostsAsync()
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var hosts = await Server.Http.GetFromJsonAsync<List<HostDto>>("/api/hosts", ServerProcess.Json).WaitAsync(TimeSpan.FromSeconds(30));
            if (hosts!.Count(h => h.Online) == _agents.Count)
            {
                return;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the demo fleet did not come online:\n" + string.Join("\n", _agents.Select(a => a.Output)));
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Replays synthesized pfstat intervals (one list of files and faults per second) as <paramref name="host"/> at full
    /// speed, so its seconds end about now; the test fails when the agent does.
    /// </summary>
    public async Task ReplayIntervalsAsync(string host, IEnumerable<IEnumerable<(string File, long Faults)>> intervals)
    {
        var capture = TempCaptures.Intervals(intervals);
        try
        {
            var run = await AgentRun.RunAsync(
                ["--server", Server.IngestUrl.ToString(), "--host", host, "--os", "linux", "--speed", "0", "--once", "--replay", capture], TimeSpan.FromSeconds(60));
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        finally
        {
            File.Delete(capture);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        _playwright?.Dispose();
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}
