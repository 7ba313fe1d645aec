namespace Tracefleet.Web.Services;

/// <summary>
/// A browser tab's title naming what the page shows, most specific first and the product last
/// (<c>web-01 · page faults by file · Tracefleet</c>), so a row of Tracefleet tabs can be told apart.
/// </summary>
public static class PageTitles
{
    private const string Product = "Tracefleet";

    /// <summary>The non-empty <paramref name="parts"/>, then the product, joined by " · " (<see cref="FactLine"/>).</summary>
    public static string Of(params string?[] parts) => FactLine.Join([.. parts, Product]);
}
