using System.Text.RegularExpressions;
using Tracefleet.Server.Hosting;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Hosting;

public sealed partial class TokenCommandTests
{
    [GeneratedRegex(@"^token for web-01: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"^\s*Auth__AgentTokens__web-01=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex EnvironmentLine();

    [GeneratedRegex(@"""web-01"": ""(sha256:[0-9a-f]{64})""")]
    private static partial Regex JsonEntry();

    private static (bool Handled, int ExitCode, string Output) Run(params string[] args)
    {
        using var output = new StringWriter();
        var handled = TokenCommand.TryRun(args, output, out var exitCode);
        return (handled, exitCode, output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void TryRun_Create_PrintsATokenAndADigestThatMatchesIt()
    {
        var (handled, exitCode, output) = Run("token", "create", "web-01");

        Assert.True(handled);
        Assert.Equal(0, exitCode);
        var token = TokenLine().Match(output).Groups[1].Value;
        var digest = EnvironmentLine().Match(output).Groups[1].Value;
        Assert.NotEmpty(token);
        Assert.StartsWith("sha256:", digest, StringComparison.Ordinal);
        Assert.DoesNotContain(token, digest, StringComparison.Ordinal);
        Assert.True(AgentTokens.Matches(digest, token));
        Assert.Equal(digest, JsonEntry().Match(output).Groups[1].Value);
        Assert.Contains("--token " + token, output, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRun_CreateTwice_DifferentTokens() =>
        Assert.NotEqual(TokenLine().Match(Run("token", "create", "web-01").Output).Value, TokenLine().Match(Run("token", "create", "web-01").Output).Value);

    [Theory]
    [InlineData("token")]
    [InlineData("token", "create")]
    [InlineData("token", "delete", "web-01")]
    [InlineData("token", "create", "web-01", "extra")]
    [InlineData("token", "create", "")]
    [InlineData("token", "create", "web\n01")]
    public void TryRun_BadUsage_Exit64WithUsage(params string[] args)
    {
        var (handled, exitCode, output) = Run(args);

        Assert.True(handled);
        Assert.Equal(64, exitCode);
        Assert.Contains("usage: tracefleet-server token create HOST", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b", "only ASCII letters")]
    [InlineData("..", "parts between dots")]
    [InlineData("web-01\u200b", "only ASCII letters")]
    [InlineData(" web-01", "only ASCII letters")]
    public void TryRun_NotAHostName_Exit64SayingWhyNeverEchoingItVerbatim(string host, string reason)
    {
        var (_, exitCode, output) = Run("token", "create", host);

        Assert.Equal(64, exitCode);
        Assert.Contains(reason, output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u200b', output);
        Assert.DoesNotContain("sha256:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRun_MixedCaseHost_TokenAndConfigurationForTheLowercaseName()
    {
        var (_, exitCode, output) = Run("token", "create", "Web-01");

        Assert.Equal(0, exitCode);
        Assert.Matches(TokenLine(), output);
        Assert.Matches(EnvironmentLine(), output);
        Assert.DoesNotContain("Web-01", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRun_HostNameTooLong_Exit64() => Assert.Equal(64, Run("token", "create", new string('h', 254)).ExitCode);

    [Theory]
    [InlineData]
    [InlineData("--urls", "http://localhost:5000")]
    [InlineData("tokens", "create", "web-01")]
    public void TryRun_OtherArguments_NotHandled(params string[] args)
    {
        var (handled, _, output) = Run(args);

        Assert.False(handled);
        Assert.Empty(output);
    }
}
