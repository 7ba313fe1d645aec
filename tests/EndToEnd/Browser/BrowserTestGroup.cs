namespace Tracefleet.EndToEnd.Browser;

/// <summary>One server, one fleet and one Chromium for every browser test class: starting them is the slow part.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserFleetFixture>
{
    public const string Name = "browser";
}
