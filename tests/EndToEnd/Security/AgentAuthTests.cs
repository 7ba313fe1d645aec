using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Security;

/// <summary>
/// Only an agent with its own host's token may write: no token, a wrong token and another host's token
/// are refused with the right gRPC status, the agent says so and exits non-zero, and nothing is stored. A refused
/// token's message names no host; whose token it was is in the server's log only.
/// </summary>
public sealed partial class AgentAuthTests : IAsyncLifetime
{
    private const string AlphaToken = "alpha-token-for-tests-only";
    private string _betaToken = "";
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        // Beta's token comes from the server's own command, configured by its digest, as the README says.
        var created = await Cli.Wrap(RepoPaths.Server).WithArguments(["token", "create", "beta"]).ExecuteBufferedAsync();
        _betaToken = TokenLine().Match(created.StandardOutput).Groups[1].Value;
        var digest = DigestLine().Match(created.StandardOutput).Groups[1].Value;
        Assert.StartsWith("sha256:", digest, StringComparison.Ordinal);
        _server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Auth:AgentTokens:alpha"] = AlphaToken,
            ["Auth:AgentTokens:beta"] = digest,
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("alpha", null, "Unauthenticated", "no agent token", null)]
    [InlineData("alpha", "not-the-token", "Unauthenticated", "the token is not valid for this host", null)]
    [InlineData("alpha", "beta", "PermissionDenied", "the token is not valid for this host", "beta")]
    [InlineData("gamma", AlphaToken, "PermissionDenied", "the token is not valid for this host", "alpha")]
    public async Task Replay_BadToken_RefusedWithStatusAndNothingStored(string host, string? token, string status, string reason, string? owner)
    {
        token = token == "beta" ? _betaToken : token;
        var run = await ReplayAsync(host, token);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"({status})", run.StandardError, StringComparison.Ordinal);
        Assert.Contains(reason, run.StandardError, StringComparison.Ordinal);
        if (owner is not null)
        {
            Assert.DoesNotContain($"host {owner}", run.StandardError, StringComparison.Ordinal);
            Assert.Contains($"the token is for {owner}", _server.Output, StringComparison.Ordinal);
        }

        var hosts = await _server.GetAsync<List<HostDto>>("/api/hosts");
        Assert.DoesNotContain(hosts, h => h.Name == host);
    }

    [Theory]
    [InlineData("alpha", AlphaToken)]
    [InlineData("beta", "beta")]
    public async Task Replay_OwnToken_Accepted(string host, string token)
    {
        var run = await ReplayAsync(host, token == "beta" ? _betaToken : token);

        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = await _server.GetAsync<List<PageFaultRowDto>>($"/api/hosts/{host}/top?probe=pagefaults&limit=0");
        Assert.NotEmpty(rows);
    }

    [Fact]
    public async Task Replay_ServerWithoutTokens_RefusedSayingHowToConfigure()
    {
        await using var closed = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Auth:AllowAnonymousAgents"] = "false" });

        var run = await ReplayAsync(closed.IngestUrl, "alpha", AlphaToken);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("token create HOST", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("Auth:AgentTokens:HOST", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_PointedAtTheWebPort_StopsSayingToUseTheIngestPort()
    {
        var run = await ReplayAsync(_server.WebUrl, "alpha", AlphaToken);

        // Not retried for ever with HTTP/2's HTTP_1_1_REQUIRED as the only clue.
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("answers HTTP/1.1 only, so it is not Tracefleet's ingest port", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("Ingest:Url", run.StandardError, StringComparison.Ordinal);
    }

    private Task<AgentRun.Result> ReplayAsync(string host, string? token) => ReplayAsync(_server.IngestUrl, host, token);

    private static Task<AgentRun.Result> ReplayAsync(Uri server, string host, string? token) => AgentRun.RunAsync(
        ["--server", server.ToString(), "--host", host, .. token is null ? Array.Empty<string>() : ["--token", token],
         "--replay", RepoPaths.Capture("linux-stap-pfstat.txt"), "--speed", "0", "--once"],
        TimeSpan.FromSeconds(60));

    [GeneratedRegex(@"token for beta: (\S+)")]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"Auth__AgentTokens__beta=(\S+)")]
    private static partial Regex DigestLine();
}
