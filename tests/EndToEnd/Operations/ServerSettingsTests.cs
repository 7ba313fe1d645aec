using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>Settings that contradict each other stop the real server at start, saying which rule they break.</summary>
public sealed class ServerSettingsTests
{
    [Fact]
    public async Task Start_MinuteRetentionShorterThanRaw_ExitsNamingTheRule()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["History:RawRetention"] = "1.00:00:00",
            ["History:MinuteRetention"] = "01:00:00",
        }));

        Assert.StartsWith("The server exited at start", refused.Message, StringComparison.Ordinal);
        Assert.Contains("History:MinuteRetention (01:00:00) must be at least History:RawRetention (1.00:00:00)", refused.Message, StringComparison.Ordinal);
    }
}
