namespace Tracefleet.EndToEnd.Operations;

/// <summary>The published-agent test's own collection: its NativeAOT publish takes minutes, so it starts first (<see cref="Infrastructure.LongestFirst"/>).</summary>
public static class NativePublishGroup
{
    public const string Name = "native-publish";
}
