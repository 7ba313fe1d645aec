using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Alerts;

/// <summary>A rules file the server cannot read stops it at start with one line saying where, never a crash.</summary>
public sealed class RulesFileTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"tracefleet-rules-{Guid.NewGuid():N}.yaml");

    public void Dispose() => File.Delete(_file);

    [Theory]
    [InlineData("rules:\n  - name: a\n    probe: kmem\n    column: net\n    above: 1\n    keepFiringFor: 5m\n", "line 6, column 5: \"keepFiringFor\" is not a rule field")]
    [InlineData("rules: 5\n", "line 1")]
    public async Task Start_RulesFileItCannotRead_ExitsWithTheFileAndLine(string yaml, string why)
    {
        await File.WriteAllTextAsync(_file, yaml);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(new Dictionary<string, string> { ["Alerts:RulesFile"] = _file }));
        Assert.Contains("exit code 2", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"error: Alerts:RulesFile: {_file}: {why}", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RulesFileMissing_ExitsSayingSo()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(new Dictionary<string, string> { ["Alerts:RulesFile"] = _file }));
        Assert.Contains($"error: Alerts:RulesFile: {_file}:", refused.Message, StringComparison.Ordinal);
    }
}
