using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Tracefleet.EndToEnd.Browser;

[Collection(BrowserTestGroup.Name)]
public sealed class ComparePageTests(BrowserFleetFixture fleet)
{
    [Fact]
    public async Task ComparePage_LinuxAndSolaris_DifferencesMatchTheApiAndOneSidedKeysShown()
    {
        // A closed range in the past, so the page and this test read the same stored data.
        var from = Iso(fleet.StartedAt.AddMinutes(-10));
        var to = Iso(DateTime.UtcNow.AddSeconds(-3));
        var query = $"host={BrowserFleetFixture.LinuxA}&host={BrowserFleetFixture.Solaris}&probe=pagefaults&from={from}&to={to}";
        await Task.Delay(TimeSpan.FromSeconds(1));
        var api = await fleet.Server.GetAsync<JsonElement>($"/api/compare?{query}&limit=50");
        var rows = api.GetProperty("rows").EnumerateArray().Select(r =>
        {
            var values = r.GetProperty("faults").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (long?)null : v.GetInt64()).ToList();
            return (Key: r.GetProperty("key").GetString()!, A: values[0], B: values[1]);
        }).ToList();
        Assert.Contains(rows, r => r.A is null || r.B is null);

        var page = await fleet.NewPageAsync();
        await page.GotoAsync($"/compare?{query}");
        await Assertions.Expect(page.Locator(".compare-table tbody tr")).ToHaveCountAsync(rows.Count);

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
        await page.GotoAsync($"/compare?{query}");
        var firstKey = page.Locator(".compare-table tbody tr td.key").First;
        await Assertions.Expect(firstKey).ToBeVisibleAsync();

        await firstKey.ClickAsync();

        await Assertions.Expect(page.Locator("h2")).ToContainTextAsync("over time");
        await ChartAssertions.LineDrawnAsync(page.Locator(".trend"));
        await BrowserFleetFixture.ScreenshotAsync(page, "compare-over-time");
    }

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
