using Microsoft.Playwright;

namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// Whether a Radzen chart drew a line. Not "visible": Playwright calls a perfectly flat line (all
/// zeros) hidden, because its box has no height. A drawn line is a series path with a non-empty <c>d</c>.
/// </summary>
public static class ChartAssertions
{
    /// <summary>
    /// A chart's data lines: its line series but the marks drawn as series beside them (a host event's diamond, an alert
    /// firing's bar), which the page draws in their own colours.
    /// </summary>
    public const string DataLines = ".rz-line-series:not(:has(path[stroke*='--tf-event'], path[stroke*='--tf-firing']))";

    public static async Task LineDrawnAsync(ILocator chart)
    {
        var path = chart.Locator($"{DataLines} path").First;
        await Assertions.Expect(path).ToBeAttachedAsync();
        await Assertions.Expect(path).ToHaveAttributeAsync("d", new System.Text.RegularExpressions.Regex(@"\d"));
    }
}
