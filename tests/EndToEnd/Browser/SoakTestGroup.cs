namespace Tracefleet.EndToEnd.Browser;

/// <summary>
/// The soak's own server, agent and Chromium: a collection apart from <see cref="BrowserTestGroup"/>, so its minutes run
/// beside the other collections instead of after them, and its page's memory is its browser's alone.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SoakTestGroup : ICollectionFixture<SoakFleetFixture>
{
    public const string Name = "browser-soak";
}
