using Tracefleet.EndToEnd.Browser;
using Tracefleet.EndToEnd.Operations;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Tracefleet.EndToEnd.Infrastructure.LongestFirst", "EndToEnd")]

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>
/// Starts the collections that take minutes first, the rest in xUnit's own order. Three collections run at a time
/// (one a core, and one for the soak); started last, the browser tests (about 6.5 min, one after another on one Chromium) and the NativeAOT
/// publish (minutes, when the test publishes the agent itself instead of scripts/test.sh) ran on after every other
/// test had finished, one lane idle. The soak (five minutes, mostly waiting) starts first on a third lane.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    /// <summary>Collection names, longest first.</summary>
    private static readonly string[] First = [SoakTestGroup.Name, BrowserTestGroup.Name, NativePublishGroup.Name];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        new DefaultTestCollectionOrderer().OrderTestCollections(testCollections)
            .OrderBy(c => Array.IndexOf(First, c.DisplayName) is var rank and >= 0 ? rank : First.Length);
}
