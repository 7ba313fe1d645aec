using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.EndToEnd.Live;
using Xunit.Abstractions;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// A Host page left open with a key's trend on a host streaming at ten times real time: after five minutes the tab's
/// memory (its renderer's resident set, WebAssembly heap included) and the median time of one live render are within
/// 20 % of what they were after the first minute. The figures are printed and appended to TestResults/live-latency.txt.
/// </summary>
[Collection(SoakTestGroup.Name)]
public sealed class HostPageSoakTests(SoakFleetFixture soak, ITestOutputHelper output)
{
    private const double AllowedGrowth = 1.2;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Soak = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task HostPage_TrendOpenFiveMinutesAtTenTimesRealTime_MemoryAndRenderTimeStayWithinTwentyPercent()
    {
        var page = await soak.NewPageAsync();
        await using var context = page.Context;
        var renders = new ConcurrentQueue<(TimeSpan At, double Ms)>();
        var clock = new Stopwatch();
        page.Console += (_, message) =>
        {
            if (clock.IsRunning && message.Text.StartsWith("tracefleet-render ", StringComparison.Ordinal))
            {
                renders.Enqueue((clock.Elapsed, double.Parse(message.Text["tracefleet-render ".Length..], CultureInfo.InvariantCulture)));
            }
        };
        await page.GotoAsync($"/host?host={SoakFleetFixture.Host}&probe=pagefaults&latency=1");
        var firstKey = page.Locator(".top-table tbody tr td.key").First;
        await Assertions.Expect(firstKey).ToBeVisibleAsync();
        // The busiest key's trend, opened by its link (what clicking it does): the soak is about keeping it open.
        var key = await firstKey.TextContentAsync();
        await page.GotoAsync($"/host?host={SoakFleetFixture.Host}&probe=pagefaults&latency=1&key={Uri.EscapeDataString(key!)}");
        await Assertions.Expect(page.Locator(".trend-panel h2")).ToContainTextAsync(key!);
        await ChartAssertions.LineDrawnAsync(page.Locator(".trend-panel"));
        clock.Start();

        await Task.Delay(Minute);
        var rssAfterMinute = ChromiumRenderers.LargestRssMb(soak.Marker);
        await Task.Delay(Soak - Minute);
        var rssAtEnd = ChromiumRenderers.LargestRssMb(soak.Marker);
        clock.Stop();

        // The page still shows the trend it was opened on, and still takes live snapshots.
        await Assertions.Expect(page.Locator(".trend-panel h2")).ToContainTextAsync(key!);
        var firstMinute = renders.Where(r => r.At <= Minute).Select(r => r.Ms).ToList();
        var lastMinute = renders.Where(r => r.At > Soak - Minute).Select(r => r.Ms).ToList();
        Assert.True(firstMinute.Count >= 30 && lastMinute.Count >= 30, $"too few live renders: {firstMinute.Count} in the first minute, {lastMinute.Count} in the last");
        var renderFirst = Percentiles.Of(firstMinute, 50);
        var renderLast = Percentiles.Of(lastMinute, 50);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"soak (host page, trend of {key}, {SoakFleetFixture.Speed}x real time, {Soak.TotalMinutes:F0} min): renderer RSS {rssAfterMinute:F0} MB after 1 min, {rssAtEnd:F0} MB at the end ({rssAtEnd / rssAfterMinute:F2}x); " +
            $"one live render median {renderFirst:F1} ms in the first minute ({firstMinute.Count} renders), {renderLast:F1} ms in the last ({lastMinute.Count}) ({renderLast / renderFirst:F2}x)");
        output.WriteLine(line);
        Percentiles.Record(line);

        Assert.True(rssAtEnd <= rssAfterMinute * AllowedGrowth, line);
        Assert.True(renderLast <= renderFirst * AllowedGrowth, line);
    }
}
