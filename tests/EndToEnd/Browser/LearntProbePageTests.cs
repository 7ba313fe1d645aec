using Microsoft.Playwright;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// A probe neither the server nor the UI was built with: the example <c>blockio</c> descriptor (columns ios and bytes, keyed
/// by device), sent by a replaying agent with <c>--probes-dir</c>, and shown by the pages with its own columns.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class LearntProbePageTests(BrowserFleetFixture fleet)
{
    private const string Probe = "blockio";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task HostPage_ReplayedBlockioCapture_TabAndTableWithItsOwnColumns()
    {
        var host = await ReplayAsync();
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;

        await page.GotoAsync($"/host?host={host}&probe={Probe}");

        var tab = page.Locator(".probe-tabs a.active");
        await Assertions.Expect(tab).ToHaveTextAsync("block I/O by device and process");
        await Assertions.Expect(page.Locator(".top-table th")).ToHaveTextAsync(["IOS ▼", "BYTES", "DEVICE"]);
        // The capture's second (and last) second: dd issued 370 requests of 367001600 bytes in all.
        await Assertions.Expect(page.Locator(".top-table tbody tr").First.Locator("td")).ToHaveTextAsync(["370", "367001600", "254, 0, dd"]);
        await Assertions.Expect(page.Locator(".top-table tbody tr")).ToHaveCountAsync(5);
        await BrowserFleetFixture.ScreenshotAsync(page, "host-blockio");
    }

    [Fact]
    public async Task HistoryPage_ReplayedBlockioCapture_SelectedTopKeysAndChart()
    {
        var host = await ReplayAsync();
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;

        await page.GotoAsync($"/history?range=15m&probe={Probe}&host={host}");

        var choice = page.Locator(".controls label", new() { HasTextString = "probe" }).Locator("select");
        await Assertions.Expect(choice).ToHaveValueAsync(Probe);
        Assert.Equal("block I/O by device and process", await choice.EvaluateAsync<string>("s => s.selectedOptions[0].textContent"));
        await Assertions.Expect(page.Locator(".top-table th")).ToHaveTextAsync(["IOS ▼", "BYTES", "DEVICE"]);
        // Both seconds of the capture summed: dd 326 + 370 requests, 341835776 + 367001600 bytes.
        await Assertions.Expect(page.Locator(".top-table tbody tr").First.Locator("td")).ToHaveTextAsync(["696", "708837376", "254, 0, dd"]);
        await Assertions.Expect(page.Locator(".chosen-keys .key").First).ToHaveTextAsync("254, 0, dd");
        // The capture's two seconds fall in one 15-second bucket of the range (a key is then one point, drawn as a dot) or,
        // across a bucket's end, in two (a line): either way each of the three charted keys is drawn.
        var series = page.Locator($".trend {ChartAssertions.DataLines}");
        await Assertions.Expect(series).ToHaveCountAsync(3);
        var drawn = await series.EvaluateAllAsync<bool[]>(
            "gs => gs.map(g => g.querySelector('.rz-marker circle') !== null || /L/.test(g.querySelector('path')?.getAttribute('d') ?? ''))");
        Assert.Equal([true, true, true], drawn);
        await BrowserFleetFixture.ScreenshotAsync(page, "history-blockio");
    }

    /// <summary>
    /// Replays the blockio example capture to the fleet's server under a host of its own, with the examples' descriptors
    /// copied to a folder of the test's (the agent reads only descriptors its owner alone can write); returns the host.
    /// </summary>
    private async Task<string> ReplayAsync()
    {
        var host = $"blockio-ui-{Guid.NewGuid():N}";
        var examples = Path.Combine(RepoPaths.Root, "scripts", "probes", "examples");
        var probesDir = Directory.CreateTempSubdirectory("tracefleet-probes-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(examples))
            {
                var copy = Path.Combine(probesDir, Path.GetFileName(file));
                File.Copy(file, copy);
                File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            var run = await AgentRun.RunAsync(
                ["--server", fleet.Server.IngestUrl.ToString(), "--host", host, "--os", "linux", "--speed", "0", "--once",
                    "--probes-dir", probesDir, "--replay", Path.Combine(probesDir, "blockio_example.txt")],
                Patience);
            Assert.True(run.ExitCode == 0, run.ToString());
            return host;
        }
        finally
        {
            Directory.Delete(probesDir, recursive: true);
        }
    }
}
