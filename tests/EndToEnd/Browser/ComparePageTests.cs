using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Browser;

[Collection(BrowserTestGroup.Name)]
public sealed class ComparePageTests(BrowserFleetFixture fleet)
{
    [Fact]
    public async Task ComparePage_LinuxAndSolaris_DifferencesMatchTheApiAndOneSidedKeysShown()
    {
        // A closed range in the past, so the page and this test read the same stored data: each agent sends its
        // snapshots in order, so once one starting at or after the end is stored, everything before it is.
        var end = DateTime.UtcNow.AddSeconds(-3);
        var from = Iso(fleet.StartedAt.AddMinutes(-10));
        var to = Iso(end);
        foreach (var host in new[] { BrowserFleetFixture.LinuxA, BrowserFleetFixture.Solaris })
        {
            var latest = await Poll.UntilAsync(() => LatestStartAsync(host), start => start >= end, TimeSpan.FromSeconds(30));
            Assert.True(latest >= end, $"{host}'s latest stored snapshot starts at {latest:O}, before {end:O}");
        }

        var query = $"host={BrowserFleetFixture.LinuxA}&host={BrowserFleetFixture.Solaris}&probe=pagefaults&from={from}&to={to}";
        var api = await fleet.Server.GetAsync<JsonElement>($"/api/compare?{query}&limit=50");
        var rows = api.GetProperty("rows").EnumerateArray().Select(r =>
        {
            var values = r.GetProperty("faults").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (long?)null : v.GetInt64()).ToList();
            return (Key: r.GetProperty("key").GetString()!, A: values[0], B: values[1]);
        }).ToList();
        Assert.Contains(rows, r => r.A is null || r.B is null);

        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync($"/compare?{query}");
        await Assertions.Expect(page.Locator(".compare-table tbody tr")).ToHaveCountAsync(rows.Count);
        await Assertions.Expect(page).ToHaveTitleAsync($"{BrowserFleetFixture.LinuxA} vs {BrowserFleetFixture.Solaris} · page faults by file · compare · Tracefleet");

        var shown = await page.Locator(".compare-table tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent))");
        foreach (var (key, a, b) in rows.Take(10))
        {
            var row = Assert.Single(shown, r => r[0] == key);
            Assert.Equal(a?.ToString(CultureInfo.InvariantCulture) ?? "—", row[1]);
            Assert.Equal(b?.ToString(CultureInfo.InvariantCulture) ?? "—", row[2]);
            var difference = (a ?? 0) - (b ?? 0);
            Assert.Equal(difference, long.Parse(row[3].Replace("−", "-", StringComparison.Ordinal).Replace("+", "", StringComparison.Ordinal), CultureInfo.InvariantCulture));
        }

        await BrowserFleetFixture.ScreenshotAsync(page, "compare");
    }

    [Fact]
    public async Task ComparePage_ClickKey_ShowsDifferenceOverTime()
    {
        var query = $"host={BrowserFleetFixture.LinuxA}&host={BrowserFleetFixture.LinuxB}&probe=kmem&range=15m";
        var page = await fleet.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync($"/compare?{query}");
        var firstKey = page.Locator(".compare-table tbody tr td.key").First;
        await Assertions.Expect(firstKey).ToBeVisibleAsync();

        await firstKey.ClickAsync();

        await Assertions.Expect(page.Locator("h2")).ToContainTextAsync("over time");
        await ChartAssertions.LineDrawnAsync(page.Locator(".trend"));
        await BrowserFleetFixture.ScreenshotAsync(page, "compare-over-time");
    }

    private async Task<DateTime?> LatestStartAsync(string host)
    {
        var start = (await fleet.Server.GetAsync<JsonElement>($"/api/hosts/{host}/latest?probe=pagefaults")).GetProperty("start");
        return start.ValueKind == JsonValueKind.Null ? null : start.GetDateTime().ToUniversalTime();
    }

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
