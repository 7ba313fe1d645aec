using System.Text.Json;
using Microsoft.Playwright;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// A one-second spike over a range whose step is longer than a second: the step's sum, as an average per second, hides it;
/// the series' peak and the History chart's shaded range show it.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class HistoryPeaksPageTests(BrowserFleetFixture fleet)
{
    private const string File = "/usr/lib/libspike.so";
    private const long Quiet = 10, Spike = 100_000;
    [Fact]
    public async Task HistoryPage_OneSecondSpikeInFifteenSecondSteps_SeriesPeakIsTheSpikeAndTheChartShadesUpToIt()
    {
        var host = $"spike-ui-{Guid.NewGuid():N}";
        // Five minutes of seconds just past, the file quiet but for one second.
        await fleet.ReplayIntervalsAsync(host, Enumerable.Range(0, 300).Select(i => new[] { (File, i == 150 ? Spike : Quiet) }));
        var to = DateTime.UtcNow.AddSeconds(1);
        var from = to.AddMinutes(-15);

        var points = await fleet.Server.GetAsync<JsonElement>(
            $"/api/series?probe=pagefaults&host={host}&key={Uri.EscapeDataString(File)}&from={from:yyyy-MM-ddTHH:mm:ssZ}&to={to:yyyy-MM-ddTHH:mm:ssZ}&step=15s");
        var series = Assert.Single(points.GetProperty("series").EnumerateArray().ToList()).GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(Spike, series.Max(p => p.GetProperty("peaks").GetProperty("faults").GetInt64()));
        Assert.Equal(Quiet, series.Min(p => p.GetProperty("lows").GetProperty("faults").GetInt64()));
        Assert.Equal(300 * Quiet - Quiet + Spike, series.Sum(p => p.GetProperty("faults").GetInt64()));
        // The spike's step averages under a tenth of it per second.
        Assert.True(series.Max(p => p.GetProperty("faults").GetInt64()) / 15 < Spike / 10, points.ToString());

        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync($"/history?range=15m&probe=pagefaults&host={host}&key={Uri.EscapeDataString(File)}");

        var range = page.Locator(".trend .rz-range-area-series path").First;
        await Assertions.Expect(range).ToHaveAttributeAsync("d", new System.Text.RegularExpressions.Regex(@"\d"));
        await ChartAssertions.LineDrawnAsync(page.Locator(".trend"));
        await Assertions.Expect(page.Locator(".chart-legend li", new() { HasTextString = $"{File} @ {host} low–peak" })).ToBeVisibleAsync();
        // Heights above the line's lowest point: the shaded range reaches far above the line's highest average.
        var tops = await page.EvaluateAsync<double[]>(
            """
            lines => {
              const boxes = selector => [...document.querySelectorAll(selector)].map(p => p.getBBox());
              const line = boxes(`.trend ${lines} path`), range = boxes('.trend .rz-range-area-series path');
              return [Math.min(...line.map(b => b.y)), Math.max(...line.map(b => b.y + b.height)), Math.min(...range.map(b => b.y))];
            }
            """, ChartAssertions.DataLines);
        var (lineTop, lineBottom, rangeTop) = (tops[0], tops[1], tops[2]);
        Assert.True(lineBottom - rangeTop > 5 * (lineBottom - lineTop), $"line from y {lineBottom} up to {lineTop}, its range up to {rangeTop}");
        await BrowserFleetFixture.ScreenshotAsync(page, "history-peaks");
    }
}
