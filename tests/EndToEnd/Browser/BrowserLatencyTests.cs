using System.Collections.Concurrent;
using System.Globalization;
using Tracefleet.EndToEnd.Live;
using Xunit.Abstractions;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// Measures (does not assert) snapshot → browser: the host page, opened with <c>?latency=1</c>,
/// logs for each snapshot it rendered how long after the server accepted it the render finished.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class BrowserLatencyTests(BrowserFleetFixture fleet, ITestOutputHelper output)
{
    private const int WantedSamples = 25;

    [Fact]
    public async Task HostPage_LiveSnapshots_LatencyMeasured()
    {
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        var samples = new ConcurrentQueue<double>();
        page.Console += (_, message) =>
        {
            if (message.Text.StartsWith("tracefleet-latency ", StringComparison.Ordinal))
            {
                samples.Enqueue(double.Parse(message.Text["tracefleet-latency ".Length..], CultureInfo.InvariantCulture));
            }
        };

        // One snapshot a second after the page has loaded: 25 take 25 s, the first load up to 45 s on a busy machine.
        await page.GotoAsync($"/host?host={BrowserFleetFixture.LinuxB}&probe=pagefaults&latency=1");
        await LiveListener.WaitUntilAsync(() => samples.Count >= WantedSamples, TimeSpan.FromSeconds(90), $"{WantedSamples} rendered snapshots");

        var line = Percentiles.Describe("accepted → rendered in Chromium (host page)", [.. samples]);
        output.WriteLine(line);
        Percentiles.Record(line);
        Assert.All(samples, ms => Assert.True(ms >= -5, $"rendered {ms} ms before the server accepted it"));
    }
}
