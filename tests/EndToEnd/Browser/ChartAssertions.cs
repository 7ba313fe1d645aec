using Microsoft.Playwright;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// Whether a Radzen chart drew a line. Not "visible": Playwright calls a perfectly flat line (all
/// zeros) hidden, because its box has no height. A drawn line is a series path with a non-empty <c>d</c>.
/// </summary>
public static class ChartAssertions
{
    public static async Task LineDrawnAsync(ILocator chart)
    {
        var path = chart.Locator(".rz-line-series path").First;
        await Assertions.Expect(path).ToBeAttachedAsync();
        await Assertions.Expect(path).ToHaveAttributeAsync("d", new System.Text.RegularExpressions.Regex(@"\d"));
    }
}
