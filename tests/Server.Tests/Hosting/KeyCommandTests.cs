using System.Text.RegularExpressions;
using Tracefleet.Server.People;

namespace Tracefleet.Server.Tests.Hosting;

public sealed partial class KeyCommandTests
{
    [GeneratedRegex(@"^API key for prometheus: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"^\s*Auth__People__ApiKeys__prometheus=(sha256:[0-9a-f]{64})$", RegexOptions.Multiline)]
    private static partial Regex EnvironmentLine();

    private static (bool Handled, int ExitCode, string Output) Run(params string[] args)
    {
        using var output = new StringWriter();
        var handled = KeyCommand.TryRun(args, output, out var exitCode);
        return (handled, exitCode, output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void TryRun_Create_PrintsAKeyAndADigestThatOnlyItMatches()
    {
        var (handled, exitCode, output) = Run("key", "create", "prometheus");

        Assert.True((handled, exitCode) == (true, 0), output);
        var key = KeyLine().Match(output).Groups[1].Value;
        var digest = EnvironmentLine().Match(output).Groups[1].Value;
        Assert.NotEmpty(key);
        Assert.DoesNotContain(key, digest, StringComparison.Ordinal);
        var configured = new Dictionary<string, string> { ["prometheus"] = digest, ["other"] = "sha256:" + new string('0', 64) };
        Assert.Equal("prometheus", ApiKeyMatch.Find(configured, key));
        Assert.Null(ApiKeyMatch.Find(configured, key + "x"));
        Assert.Null(ApiKeyMatch.Find(configured, ""));
    }

    [Theory]
    [InlineData("key")]
    [InlineData("key", "create")]
    [InlineData("key", "create", "two words")]
    [InlineData("key", "create", "name\nforged")]
    [InlineData("key", "delete", "prometheus")]
    public void TryRun_Malformed_UsageAndExit64(params string[] args)
    {
        var (handled, exitCode, output) = Run(args);

        Assert.True(handled);
        Assert.Equal(64, exitCode);
        Assert.StartsWith("usage: tracefleet-server key create NAME", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRun_OtherCommand_NotHandled() => Assert.False(Run("token", "create", "web-01").Handled);
}
